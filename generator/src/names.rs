//! The one naming authority: every Rust identifier the generator emits comes from here, so
//! casing, keyword escaping and collision handling are decided once.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (strict and reserved, edition 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated code uses unqualified; a schema with one of these names gets a
/// suffix so that it does not shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "BTreeMap",
    "Value",
    "Map",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Default",
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Display",
    "Formatter",
    "Self",
    "Base64",
    "Bytes",
];

/// A PascalCase type name for arbitrary spec text; never empty, never a keyword, never one of
/// the names the generated code uses unqualified.
pub fn type_name(raw: &str) -> String {
    // Already a PascalCase identifier (`ApiKeysCreateAPIkeyRequest`): keep the spec's spelling.
    let verbatim = raw.starts_with(|c: char| c.is_ascii_uppercase())
        && raw.chars().all(|c| c.is_ascii_alphanumeric())
        && raw.chars().any(|c| c.is_ascii_lowercase());
    let mut name = if verbatim {
        raw.to_string()
    } else {
        pascal(raw)
    };
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// A PascalCase enum variant name: variants live in their enum's namespace, so only `Self`
/// needs avoiding.
pub fn variant_name(raw: &str) -> String {
    let mut name = pascal(raw);
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

fn pascal(raw: &str) -> String {
    let spelled = spell_leading_sign(raw);
    let mut name = spelled.to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    // Letters that are not ASCII are dropped: the first one left may be lowercase (`ünï`).
    if let Some(first) = name.get(..1) {
        name = first.to_ascii_uppercase() + &name[1..];
    }
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// A snake_case field, parameter or method name; keywords become raw identifiers.
pub fn value_name(raw: &str) -> String {
    let spelled = spell_leading_sign(raw);
    let mut name = spelled.to_snake_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() || name == "_" {
        name = "value".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// `+1` and `-1` are distinct values in real enums (GitHub's reactions); keep them distinct.
fn spell_leading_sign(raw: &str) -> String {
    if let Some(rest) = raw.strip_prefix('+') {
        format!("plus {rest}")
    } else if let Some(rest) = raw.strip_prefix('-') {
        format!("minus {rest}")
    } else {
        raw.to_string()
    }
}

/// Hands out names unique within one scope, in the order asked: the first claimant keeps the
/// plain name, later ones get `2`, `3`, ... (`_2` for snake_case names). Deterministic because
/// callers ask in document order.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    pub fn claim(&mut self, wanted: String) -> String {
        let separator = if wanted.contains(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        self.claim_with(wanted, separator)
    }

    /// [`claim`](Self::claim), numbering a taken name after `separator` (`tag-users-2`).
    pub fn claim_with(&mut self, wanted: String, separator: &str) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let base = wanted.strip_prefix("r#").unwrap_or(&wanted).to_string();
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded counter always finds a free name")
    }
}

/// The cargo feature of a tag: `tag-` and the tag in kebab-case.
pub fn feature_name(tag: &str) -> String {
    format!("tag-{}", heck::ToKebabCase::to_kebab_case(tag))
}

/// `200` is `Ok`, `404` is `NotFound`: the reason phrase, so matches read like HTTP.
pub fn status_name(status: crate::ir::Status) -> String {
    let code = match status {
        crate::ir::Status::Default => return "Default".into(),
        crate::ir::Status::Range(leading) => return format!("Status{leading}xx"),
        crate::ir::Status::Code(code) => code,
    };
    let name = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        other => return format!("Status{other}"),
    };
    name.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_identifiers() {
        assert_eq!(type_name("errorMessage"), "ErrorMessage");
        assert_eq!(
            type_name("ApiKeysCreateAPIkeyRequest"),
            "ApiKeysCreateAPIkeyRequest"
        );
        assert_eq!(type_name("HTTP"), "Http");
        assert_eq!(type_name("200 response"), "V200Response");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("Self"), "SelfModel");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(variant_name("Option"), "Option");
        assert_eq!(variant_name("self"), "SelfValue");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("oldPassword"), "old_password");
        assert_eq!(value_name("@id"), "id");
        assert_eq!(value_name("2fa"), "_2fa");
        assert_eq!(value_name("$"), "value");
    }

    #[test]
    fn collisions_get_numbered() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("Pet".into()), "Pet");
        assert_eq!(scope.claim("Pet".into()), "Pet2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type_2");
    }
}
