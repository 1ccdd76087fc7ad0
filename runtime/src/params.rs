//! The one parameter codec: how a parameter's value is laid out on the wire by its location,
//! `style` and `explode` (OpenAPI 3's table), and read back. Generated clients and the
//! conformance kit encode with it; generated servers decode with it into their Rust types
//! (through a serde deserializer that parses text into whatever the type asks for), and the
//! validation layer decodes with it into JSON (as the parameter's schema asks), so all four
//! agree by construction.
//!
//! Path and query text is percent-encoded item by item, with the separators a style adds
//! (`,`, `.`, `;`, `=`) left as they are, so items holding those characters round-trip. The
//! space and pipe of `spaceDelimited` and `pipeDelimited` are themselves percent-encoded (as
//! OpenAPI's examples show), so an item holding one cannot be told from two items.

use std::borrow::Cow;

use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Serialize, forward_to_deserialize_any};
use serde_json::Value;

pub use contract_wire::{Location, Style};

/// How one parameter is laid out on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    pub location: Location,
    pub style: Style,
    pub explode: bool,
}

impl Layout {
    pub const fn new(location: Location, style: Style, explode: bool) -> Self {
        Self {
            location,
            style,
            explode,
        }
    }
}

/// RFC 3986 unreserved characters stay; everything else in an item is percent-encoded.
const ITEM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A label-style path value separates its items with `.`, so an item's own `.` is encoded.
const LABEL_ITEM: &AsciiSet = &ITEM.add(b'.');

/// Characters a cookie value cannot hold as they are (RFC 6265's `cookie-octet`), and `%`.
const COOKIE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

// ---------------------------------------------------------------------------------------------
// Encoding

/// One parameter on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoded {
    /// What replaces `{name}` in the path template, percent-encoded.
    Path(String),
    /// `name=value` pairs of the query, both sides percent-encoded.
    Query(Vec<(String, String)>),
    /// A header's value.
    Header(String),
    /// A cookie's value, percent-encoded where a cookie cannot hold a character.
    Cookie(String),
}

/// A scalar's text as a parameter carries it (`null` is empty).
pub(crate) fn scalar_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => Cow::Borrowed(text),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

/// A value in the JSON form the codec lays out.
pub fn to_value(value: &impl Serialize) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|err| err.to_string())
}

/// Lays a parameter's value out as its location, style and explode say.
pub fn encode(name: &str, layout: Layout, value: &Value) -> Encoded {
    match layout.location {
        Location::Path => Encoded::Path(encode_path(name, layout, value)),
        Location::Query => Encoded::Query(encode_query(name, layout, value)),
        Location::Header => Encoded::Header(encode_simple(layout.explode, value, &|text| {
            text.to_string()
        })),
        Location::Cookie => Encoded::Cookie(encode_simple(layout.explode, value, &|text| {
            utf8_percent_encode(text, COOKIE).to_string()
        })),
    }
}

/// A parameter given as `content` (a media type, JSON in practice): its text as it is,
/// placed (and percent-encoded) where its location says.
pub fn encode_text(name: &str, location: Location, text: &str) -> Encoded {
    match location {
        Location::Path => Encoded::Path(utf8_percent_encode(text, ITEM).to_string()),
        Location::Query => Encoded::Query(vec![(
            utf8_percent_encode(name, ITEM).to_string(),
            utf8_percent_encode(text, ITEM).to_string(),
        )]),
        Location::Header => Encoded::Header(text.to_string()),
        Location::Cookie => Encoded::Cookie(utf8_percent_encode(text, COOKIE).to_string()),
    }
}

fn item(text: &str) -> String {
    utf8_percent_encode(text, ITEM).to_string()
}

fn encode_path(name: &str, layout: Layout, value: &Value) -> String {
    let name = item(name);
    let item = |text: &str| {
        let set = if layout.style == Style::Label {
            LABEL_ITEM
        } else {
            ITEM
        };
        utf8_percent_encode(text, set).to_string()
    };
    let (prefix, separator) = match (layout.style, layout.explode) {
        (Style::Label, false) => (".".to_string(), ","),
        (Style::Label, true) => (".".to_string(), "."),
        (Style::Matrix, true) => (String::new(), ";"),
        (Style::Matrix, false) => (format!(";{name}="), ","),
        _ => (String::new(), ","),
    };
    match value {
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|value| {
                    let text = item(&scalar_text(value));
                    if layout.style == Style::Matrix && layout.explode {
                        format!(";{name}={text}")
                    } else {
                        text
                    }
                })
                .collect();
            if layout.style == Style::Matrix && layout.explode {
                return parts.concat();
            }
            format!("{prefix}{}", parts.join(separator))
        }
        Value::Object(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|(key, value)| {
                    let (key, text) = (item(key), item(&scalar_text(value)));
                    match (layout.style, layout.explode) {
                        (Style::Matrix, true) => format!(";{key}={text}"),
                        (_, true) => format!("{key}={text}"),
                        (_, false) => format!("{key},{text}"),
                    }
                })
                .collect();
            if layout.style == Style::Matrix && layout.explode {
                return parts.concat();
            }
            format!("{prefix}{}", parts.join(separator))
        }
        scalar if layout.style == Style::Matrix => {
            format!(";{name}={}", item(&scalar_text(scalar)))
        }
        scalar => format!("{prefix}{}", item(&scalar_text(scalar))),
    }
}

fn encode_query(name: &str, layout: Layout, value: &Value) -> Vec<(String, String)> {
    let key = item(name);
    // The space and pipe of the delimited styles are percent-encoded themselves.
    let delimiter = match layout.style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "%7C",
        _ => ",",
    };
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) if layout.explode => items
            .iter()
            .map(|value| (key.clone(), item(&scalar_text(value))))
            .collect(),
        Value::Array(items) => {
            let joined = items
                .iter()
                .map(|value| item(&scalar_text(value)))
                .collect::<Vec<_>>()
                .join(delimiter);
            vec![(key, joined)]
        }
        Value::Object(fields) if layout.style == Style::DeepObject => fields
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(field, value)| (format!("{key}[{}]", item(field)), item(&scalar_text(value))))
            .collect(),
        Value::Object(fields) if layout.explode => fields
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(field, value)| (item(field), item(&scalar_text(value))))
            .collect(),
        Value::Object(fields) => {
            let joined = fields
                .iter()
                .flat_map(|(field, value)| [item(field), item(&scalar_text(value))])
                .collect::<Vec<_>>()
                .join(delimiter);
            vec![(key, joined)]
        }
        scalar => vec![(key, item(&scalar_text(scalar)))],
    }
}

/// Header and cookie values: `simple`, arrays comma-separated, objects `k,v` (or `k=v`
/// exploded). `escape` encodes each item as the location needs.
fn encode_simple(explode: bool, value: &Value, escape: &dyn Fn(&str) -> String) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|value| escape(&scalar_text(value)))
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(fields) => fields
            .iter()
            .map(|(key, value)| {
                let (key, text) = (escape(key), escape(&scalar_text(value)));
                if explode {
                    format!("{key}={text}")
                } else {
                    format!("{key},{text}")
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        scalar => escape(&scalar_text(scalar)),
    }
}

/// The query string of percent-encoded pairs.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// A request's query, split into pairs but still percent-encoded, so that a separator in an
/// item (`%2C`) is not taken for one between items.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(query: Option<&str>) -> Self {
        let pairs = query
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => (decode_form(key), value.to_string()),
                None => (decode_form(pair), String::new()),
            })
            .collect();
        Self { pairs }
    }

    /// Every key with its value, both decoded.
    pub fn decoded(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .map(|(key, value)| (key.clone(), decode_form(value)))
            .collect()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(key, _)| key == name)
    }
}

/// Percent-decoding, and `+` as a space, as form-encoded queries write it.
fn decode_form(text: &str) -> String {
    decode(&text.replace('+', " "))
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Which query pairs an exploded form object is made of.
#[derive(Debug, Clone, Copy)]
pub enum Select<'a> {
    /// The object's properties, by name (a schema with `properties`).
    Properties(&'a [&'a str]),
    /// Every pair but those of the operation's other query parameters (a free-form object).
    AllBut(&'a [&'a str]),
}

/// A parameter as it arrived, still laid out as its location, style and explode say: read it
/// as a scalar, items or entries, as the type (or schema) asks.
#[derive(Debug, Clone)]
pub struct Raw {
    layout: Layout,
    name: String,
    /// The texts given under the name: every occurrence in a query, one elsewhere. Still
    /// percent-encoded where the location encodes (path, query, cookie).
    values: Vec<String>,
    /// Pairs an object may be made of: a deepObject's `name[key]` entries, or the query pairs
    /// an exploded form object may draw its properties from (still encoded).
    pairs: Vec<(String, String)>,
}

impl Raw {
    fn new(name: &str, layout: Layout) -> Self {
        Self {
            layout,
            name: name.to_string(),
            values: Vec::new(),
            pairs: Vec::new(),
        }
    }

    /// A path parameter from its part of the request path, as the template matched it
    /// (still percent-encoded).
    pub fn from_path(name: &str, layout: Layout, text: Option<&str>) -> Self {
        let mut raw = Self::new(name, layout);
        raw.values.extend(text.map(str::to_string));
        raw
    }

    /// A query parameter (a deepObject's entries are `name[key]`).
    pub fn from_query(name: &str, layout: Layout, query: &Query) -> Self {
        let mut raw = Self::new(name, layout);
        raw.values = query
            .pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect();
        if layout.style == Style::DeepObject {
            let prefix = format!("{name}[");
            raw.pairs = query
                .pairs
                .iter()
                .filter_map(|(key, value)| {
                    let inner = key.strip_prefix(&prefix)?.strip_suffix(']')?;
                    Some((inner.to_string(), value.clone()))
                })
                .collect();
        }
        raw
    }

    /// An object parameter of an exploded form (OpenAPI's default for objects in a query),
    /// which has no name on the wire: its properties are the query's pairs that `select`
    /// picks.
    pub fn from_query_object(name: &str, query: &Query, select: Select<'_>) -> Self {
        let mut raw = Self::new(name, Layout::new(Location::Query, Style::Form, true));
        raw.pairs = query
            .pairs
            .iter()
            .filter(|(key, _)| match select {
                Select::Properties(properties) => properties.contains(&key.as_str()),
                Select::AllBut(others) => !others.contains(&key.as_str()),
            })
            .cloned()
            .collect();
        raw
    }

    /// A header parameter from its values (not percent-encoded).
    pub fn from_header(name: &str, layout: Layout, values: &[&str]) -> Self {
        let mut raw = Self::new(name, layout);
        raw.values = if values.is_empty() {
            Vec::new()
        } else {
            vec![values.join(",")]
        };
        raw
    }

    /// A cookie parameter from its value (percent-encoded where a cookie cannot hold a
    /// character).
    pub fn from_cookie(name: &str, layout: Layout, value: Option<&str>) -> Self {
        let mut raw = Self::new(name, layout);
        raw.values.extend(value.map(str::to_string));
        raw
    }

    /// Where the parameter is read from.
    pub fn location(&self) -> Location {
        self.layout.location
    }

    /// Whether the parameter was left out (an exploded form object: none of its pairs).
    pub fn is_absent(&self) -> bool {
        self.values.is_empty() && self.pairs.is_empty()
    }

    /// The name the parameter has in the spec.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn decoded(&self, text: &str) -> String {
        match self.layout.location {
            Location::Header => text.to_string(),
            Location::Query => decode_form(text),
            Location::Path | Location::Cookie => decode(text),
        }
    }

    /// The one text the style lays out, before it is split: without the label's `.` or the
    /// matrix's `;name=`.
    fn body(&self) -> Result<&str, String> {
        let text = self.values.first().ok_or("no value given")?;
        match (self.layout.location, self.layout.style, self.layout.explode) {
            (Location::Path, Style::Label, _) => text
                .strip_prefix('.')
                .ok_or_else(|| "a label-style value starts with `.`".to_string()),
            (Location::Path, Style::Matrix, false) => text
                .strip_prefix(';')
                .and_then(|rest| rest.strip_prefix(item(&self.name).as_str()))
                .and_then(|rest| rest.strip_prefix('='))
                .ok_or_else(|| format!("a matrix-style value starts with `;{}=`", self.name)),
            _ => Ok(text),
        }
    }

    /// The value as one piece of text.
    pub fn scalar(&self) -> Result<String, String> {
        if self.layout.location == Location::Path
            && self.layout.style == Style::Matrix
            && self.layout.explode
        {
            let items = self.items()?;
            return items
                .into_iter()
                .next()
                .ok_or_else(|| "no value given".to_string());
        }
        Ok(self.decoded(self.body()?))
    }

    /// The value as the items of an array.
    pub fn items(&self) -> Result<Vec<String>, String> {
        let layout = self.layout;
        if layout.location == Location::Query && layout.explode {
            return Ok(self.values.iter().map(|text| self.decoded(text)).collect());
        }
        if layout.location == Location::Path && layout.style == Style::Matrix && layout.explode {
            // `;name=a;name=b`
            let text = self.values.first().ok_or("no value given")?;
            let prefix = format!("{}=", item(&self.name));
            return text
                .split(';')
                .skip(1)
                .map(|part| {
                    part.strip_prefix(prefix.as_str())
                        .map(|value| self.decoded(value))
                        .ok_or_else(|| format!("a matrix-style item is `;{}=value`", self.name))
                })
                .collect();
        }
        let body = self.body()?;
        if body.is_empty() {
            return Ok(Vec::new());
        }
        Ok(match (layout.location, layout.style) {
            // Their separators are encoded themselves: decode, then split.
            (Location::Query, Style::SpaceDelimited) => {
                self.decoded(body).split(' ').map(str::to_string).collect()
            }
            (Location::Query, Style::PipeDelimited) => {
                self.decoded(body).split('|').map(str::to_string).collect()
            }
            (Location::Path, Style::Label) if layout.explode => {
                body.split('.').map(|part| self.decoded(part)).collect()
            }
            _ => body.split(',').map(|part| self.decoded(part)).collect(),
        })
    }

    /// The value as the entries of an object.
    pub fn entries(&self) -> Result<Vec<(String, String)>, String> {
        let layout = self.layout;
        if layout.location == Location::Query
            && (layout.style == Style::DeepObject
                || (layout.style == Style::Form && layout.explode))
        {
            return Ok(self
                .pairs
                .iter()
                .map(|(key, value)| (decode_form(key), decode_form(value)))
                .collect());
        }
        if layout.location == Location::Path && layout.style == Style::Matrix && layout.explode {
            // `;key=value;key=value`
            let text = self.values.first().ok_or("no value given")?;
            return text
                .split(';')
                .skip(1)
                .map(|part| {
                    part.split_once('=')
                        .map(|(key, value)| (self.decoded(key), self.decoded(value)))
                        .ok_or_else(|| "a matrix-style entry is `;key=value`".to_string())
                })
                .collect();
        }
        let body = self.body()?;
        if body.is_empty() {
            return Ok(Vec::new());
        }
        let (separator, delimited) = match (layout.location, layout.style) {
            (Location::Query, Style::SpaceDelimited) => (' ', true),
            (Location::Query, Style::PipeDelimited) => ('|', true),
            (Location::Path, Style::Label) if layout.explode => ('.', false),
            _ => (',', false),
        };
        let text: Cow<'_, str> = if delimited {
            Cow::Owned(self.decoded(body))
        } else {
            Cow::Borrowed(body)
        };
        let decode_part = |part: &str| {
            if delimited {
                part.to_string()
            } else {
                self.decoded(part)
            }
        };
        let parts: Vec<&str> = text.split(separator).collect();
        if layout.explode && !delimited {
            // `key=value,key=value` (label: `.`-separated)
            return parts
                .iter()
                .map(|part| {
                    part.split_once('=')
                        .map(|(key, value)| (decode_part(key), decode_part(value)))
                        .ok_or_else(|| format!("`{part}` is not a key=value pair"))
                })
                .collect();
        }
        if parts.len() % 2 != 0 {
            return Err("the value is not a list of key,value pairs".to_string());
        }
        Ok(parts
            .chunks(2)
            .map(|pair| (decode_part(pair[0]), decode_part(pair[1])))
            .collect())
    }

    /// Reads the parameter as `T`; the error says what was wrong with the text.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(RawDeserializer(self)).map_err(|err| err.0)
    }
}

/// Errors from reading parameter text.
#[derive(Debug)]
pub struct ParamError(String);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParamError {}

impl de::Error for ParamError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ParamError(msg.to_string())
    }
}

struct RawDeserializer<'a>(&'a Raw);

impl RawDeserializer<'_> {
    fn scalar(&self) -> Result<String, ParamError> {
        self.0.scalar().map_err(ParamError)
    }
}

/// A newtype struct (`struct Key(String)`) is read as what it wraps.
macro_rules! newtype_as_inner {
    () => {
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, ParamError> {
            visitor.visit_newtype_struct(self)
        }
    };
}

/// Scalars read the value's text with that scalar's own parsing rules.
macro_rules! forward_scalars {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            Text(&self.scalar()?).$method(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for RawDeserializer<'_> {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        Text(&self.scalar()?).deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        if self.0.is_absent() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        let items = self.0.items().map_err(ParamError)?;
        visitor.visit_seq(de::value::SeqDeserializer::new(
            items.iter().map(|text| Text(text)),
        ))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        let entries = self.0.entries().map_err(ParamError)?;
        visitor.visit_map(de::value::MapDeserializer::new(
            entries.iter().map(|(key, value)| (Text(key), Text(value))),
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    newtype_as_inner!();

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ParamError> {
        Text(&self.scalar()?).deserialize_enum(name, variants, visitor)
    }

    forward_scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_string deserialize_str
    }

    forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct identifier
        ignored_any
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
                ParamError(format!("`{}` is not a valid {}", self.0, stringify!($ty)))
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

    newtype_as_inner!();

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

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

    fn query(text: &str) -> Query {
        Query::parse(Some(text))
    }

    const FORM: Layout = Layout::new(Location::Query, Style::Form, true);

    #[test]
    fn query_styles_decode() {
        let q = query("id=3&id=4&tags=a,b&f[color]=red&f[size]=2&sort=desc&role=admin&name=A%20B");
        let ids: Vec<i64> = Raw::from_query("id", FORM, &q).parse().unwrap();
        assert_eq!(ids, vec![3, 4]);
        let tags: Vec<String> =
            Raw::from_query("tags", Layout::new(Location::Query, Style::Form, false), &q)
                .parse()
                .unwrap();
        assert_eq!(tags, vec!["a", "b"]);
        let filter: Filter = Raw::from_query(
            "f",
            Layout::new(Location::Query, Style::DeepObject, true),
            &q,
        )
        .parse()
        .unwrap();
        assert_eq!(
            filter,
            Filter {
                color: "red".into(),
                size: 2
            }
        );
        let sort: Sort = Raw::from_query("sort", FORM, &q).parse().unwrap();
        assert_eq!(sort, Sort::Desc);
        let missing: Option<i64> = Raw::from_query("nope", FORM, &q).parse().unwrap();
        assert_eq!(missing, None);
        let err = Raw::from_query("tags", FORM, &q)
            .parse::<i64>()
            .unwrap_err();
        assert_eq!(err, "`a,b` is not a valid i64");
        // An exploded form object draws its properties from the query.
        #[derive(Debug, Deserialize, PartialEq)]
        struct Person {
            role: String,
            name: String,
        }
        let person: Person =
            Raw::from_query_object("person", &q, Select::Properties(&["role", "name"]))
                .parse()
                .unwrap();
        assert_eq!(
            person,
            Person {
                role: "admin".into(),
                name: "A B".into()
            }
        );
        let absent: Option<Person> = Raw::from_query_object(
            "person",
            &query("id=1"),
            Select::Properties(&["role", "name"]),
        )
        .parse()
        .unwrap();
        assert_eq!(absent, None);
        let free: BTreeMap<String, String> = Raw::from_query_object(
            "extra",
            &q,
            Select::AllBut(&["id", "tags", "f[color]", "f[size]", "sort"]),
        )
        .parse()
        .unwrap();
        assert_eq!(free.keys().collect::<Vec<_>>(), ["name", "role"]);
    }

    /// The server's reading of what the client wrote, through the wire form: path text as
    /// the template matched it, the query as a query string.
    fn through_the_wire<T: DeserializeOwned>(
        name: &str,
        layout: Layout,
        value: &Value,
    ) -> Result<T, String> {
        let raw = match encode(name, layout, value) {
            Encoded::Path(text) => Raw::from_path(name, layout, Some(&text)),
            Encoded::Query(pairs)
                if layout.explode && layout.style == Style::Form && value.is_object() =>
            {
                Raw::from_query_object(
                    name,
                    &Query::parse(Some(&query_string(&pairs))),
                    Select::AllBut(&[]),
                )
            }
            Encoded::Query(pairs) => {
                Raw::from_query(name, layout, &Query::parse(Some(&query_string(&pairs))))
            }
            Encoded::Header(text) => Raw::from_header(name, layout, &[&text]),
            Encoded::Cookie(text) => Raw::from_cookie(name, layout, Some(&text)),
        };
        raw.parse()
    }

    #[test]
    fn encoding_matches_the_specification_table() {
        let path = |style, explode, value: Value| match encode(
            "id",
            Layout::new(Location::Path, style, explode),
            &value,
        ) {
            Encoded::Path(text) => text,
            other => panic!("{other:?}"),
        };
        let object = json!({"R": 100, "G": 200});
        assert_eq!(path(Style::Simple, false, json!([3, 4, 5])), "3,4,5");
        assert_eq!(path(Style::Simple, true, object.clone()), "R=100,G=200");
        assert_eq!(path(Style::Simple, false, object.clone()), "R,100,G,200");
        assert_eq!(path(Style::Label, false, json!([3, 4])), ".3,4");
        assert_eq!(path(Style::Label, true, json!([3, 4])), ".3.4");
        assert_eq!(path(Style::Label, true, object.clone()), ".R=100.G=200");
        assert_eq!(path(Style::Matrix, false, json!(5)), ";id=5");
        assert_eq!(path(Style::Matrix, false, json!([3, 4])), ";id=3,4");
        assert_eq!(path(Style::Matrix, true, json!([3, 4])), ";id=3;id=4");
        assert_eq!(path(Style::Matrix, true, object.clone()), ";R=100;G=200");
        assert_eq!(
            path(Style::Simple, false, json!("a b/c,d")),
            "a%20b%2Fc%2Cd"
        );
        let pairs = |style, explode, value: Value| match encode(
            "c",
            Layout::new(Location::Query, style, explode),
            &value,
        ) {
            Encoded::Query(pairs) => query_string(&pairs),
            other => panic!("{other:?}"),
        };
        assert_eq!(pairs(Style::Form, true, json!(["a", "b"])), "c=a&c=b");
        assert_eq!(pairs(Style::Form, false, json!(["a", "b"])), "c=a,b");
        assert_eq!(pairs(Style::Form, true, object.clone()), "R=100&G=200");
        assert_eq!(
            pairs(Style::SpaceDelimited, false, json!(["a", "b"])),
            "c=a%20b"
        );
        assert_eq!(
            pairs(Style::PipeDelimited, false, json!(["a", "b"])),
            "c=a%7Cb"
        );
        assert_eq!(pairs(Style::DeepObject, true, object), "c[R]=100&c[G]=200");
    }

    #[test]
    fn exploded_label_and_matrix_arrays_round_trip() {
        for style in [Style::Label, Style::Matrix, Style::Simple] {
            for explode in [false, true] {
                let layout = Layout::new(Location::Path, style, explode);
                let back: Vec<String> =
                    through_the_wire("id", layout, &json!(["a,b", "c.d", "e;f=g"])).unwrap();
                assert_eq!(back, ["a,b", "c.d", "e;f=g"], "{style:?} explode={explode}");
            }
        }
    }

    fn text() -> impl Strategy<Value = String> {
        // Any printable text, separators included (except the delimiters that are encoded
        // themselves, which the specification cannot tell apart).
        "[ -~é€]{0,12}"
    }

    /// Every location with each style it allows, exploded and not (spaceDelimited and
    /// pipeDelimited are defined unexploded only).
    fn layouts() -> impl Strategy<Value = Layout> {
        let styles = [
            (
                Location::Path,
                &[Style::Simple, Style::Label, Style::Matrix][..],
            ),
            (Location::Query, &[Style::Form][..]),
            (Location::Header, &[Style::Simple][..]),
            (Location::Cookie, &[Style::Form][..]),
        ];
        let mut layouts: Vec<Layout> = styles
            .iter()
            .flat_map(|(location, styles)| {
                styles.iter().flat_map(move |style| {
                    [false, true].map(|explode| Layout::new(*location, *style, explode))
                })
            })
            .collect();
        for style in [Style::SpaceDelimited, Style::PipeDelimited] {
            layouts.push(Layout::new(Location::Query, style, false));
        }
        proptest::sample::select(layouts)
    }

    /// Items a layout can carry: headers hold visible ASCII and cannot tell a comma in an item
    /// from one between items; the delimited styles cannot tell their delimiter either.
    fn fits(layout: Layout, item: &str, in_collection: bool) -> bool {
        match layout.location {
            Location::Header => !in_collection || !item.contains(','),
            Location::Query if layout.style == Style::SpaceDelimited => {
                !item.contains(' ') && !item.contains('+')
            }
            Location::Query if layout.style == Style::PipeDelimited => !item.contains('|'),
            _ => true,
        }
    }

    proptest! {
        #[test]
        fn scalars_round_trip(layout in layouts(), value in text(), number in any::<i64>()) {
            prop_assume!(layout.location != Location::Header || value.is_ascii());
            prop_assume!(fits(layout, &value, false));
            // A header value loses its surrounding spaces to HTTP; the codec does not.
            let back: String = through_the_wire("p", layout, &json!(value)).unwrap();
            prop_assert_eq!(back, value);
            let back: i64 = through_the_wire("p", layout, &json!(number)).unwrap();
            prop_assert_eq!(back, number);
        }

        #[test]
        fn arrays_round_trip(layout in layouts(), items in proptest::collection::vec(text(), 1..4)) {
            prop_assume!(items.iter().all(|item| fits(layout, item, true) && (layout.location != Location::Header || item.is_ascii())));
            // An array of one empty string is the empty text, which reads as no items.
            prop_assume!(!(items.len() == 1 && items[0].is_empty()));
            let back: Vec<String> = through_the_wire("p", layout, &json!(items)).unwrap();
            prop_assert_eq!(back, items);
        }

        #[test]
        fn objects_round_trip(
            layout in layouts(),
            entries in proptest::collection::btree_map("[a-z]{1,6}", text(), 1..4),
        ) {
            prop_assume!(entries.values().all(|value| fits(layout, value, true) && (layout.location != Location::Header || value.is_ascii())));
            // Exploded objects are `key=value`: a value holding `=` is still read right, but
            // delimited styles lay objects out as `key value`, which cannot hold their delimiter.
            let back: BTreeMap<String, String> = through_the_wire("p", layout, &json!(entries)).unwrap();
            prop_assert_eq!(back, entries);
        }

        #[test]
        fn deep_objects_round_trip(entries in proptest::collection::btree_map("[a-z]{1,6}", text(), 1..4)) {
            let layout = Layout::new(Location::Query, Style::DeepObject, true);
            let back: BTreeMap<String, String> = through_the_wire("p", layout, &json!(entries)).unwrap();
            prop_assert_eq!(back, entries);
        }
    }
}
