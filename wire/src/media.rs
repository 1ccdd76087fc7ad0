//! Media types, compared by essence (`type/subtype`, without parameters, any case), parsed by
//! the `mime` crate. A documented media type may be a range (`text/*`, `*/*`).

use std::str::FromStr;

/// The essence of a media type, lower-cased: `application/json` for
/// `Application/JSON; charset=utf-8`. `None` when it is not a media type.
pub fn essence(media_type: &str) -> Option<String> {
    let parsed = mime::Mime::from_str(media_type.trim()).ok()?;
    Some(parsed.essence_str().to_ascii_lowercase())
}

/// How a body of a media type is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `application/json` and any `+json` type (zrok's `application/zrok.v1+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: bytes as they are.
    Binary,
}

/// The kind of a media type; what is not a media type at all is bytes.
pub fn kind(media_type: &str) -> Kind {
    let Some(essence) = essence(media_type) else {
        return Kind::Binary;
    };
    if essence == "application/json" || essence.ends_with("+json") {
        Kind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Kind::Form
    } else if essence == "multipart/form-data" {
        Kind::Multipart
    } else if essence.starts_with("text/") {
        Kind::Text
    } else {
        Kind::Binary
    }
}

/// Whether a media type is JSON: `application/json` or any `+json`.
pub fn is_json(media_type: &str) -> bool {
    kind(media_type) == Kind::Json
}

/// Whether a documented media type (or range: `text/*`, `*/*`) admits the given one.
pub fn matches(documented: &str, given: &str) -> bool {
    let (Ok(documented), Ok(given)) = (
        mime::Mime::from_str(documented.trim()),
        mime::Mime::from_str(given.trim()),
    ) else {
        return false;
    };
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    // mime's subtype stops before a structured suffix (`zrok.v1` of `zrok.v1+json`): the
    // suffix must agree too.
    let same_suffix = match (documented.suffix(), given.suffix()) {
        (None, None) => true,
        (Some(a), Some(b)) => same(a.as_str(), b.as_str()),
        _ => false,
    };
    (documented.type_() == mime::STAR || same(documented.type_().as_str(), given.type_().as_str()))
        && (documented.subtype() == mime::STAR
            || (same(documented.subtype().as_str(), given.subtype().as_str()) && same_suffix))
}

/// Which of the documented media types a given one is: an exact essence first, then the most
/// specific range that admits it (`text/*` before `*/*`).
pub fn best_match<'a, I>(documented: I, given: &str) -> Option<usize>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let documented = documented.into_iter();
    // The common case, a header that is exactly one of the documented types, is answered
    // without parsing (a router reads every request's Content-Type through here). A header
    // with parameters takes the full path, which also refuses malformed ones.
    let bare = given.trim();
    if !bare.contains(';')
        && let Some(index) = documented
            .clone()
            .position(|candidate| candidate.eq_ignore_ascii_case(bare))
    {
        return Some(index);
    }
    let given_essence = essence(given)?;
    let mut best: Option<(usize, u8)> = None;
    for (index, candidate) in documented.enumerate() {
        let rank = match essence(candidate) {
            Some(essence) if essence == given_essence => 0,
            Some(essence) if essence == "*/*" => 2,
            Some(_) if matches(candidate, given) => 1,
            _ => continue,
        };
        if best.is_none_or(|(_, known)| rank < known) {
            best = Some((index, rank));
        }
    }
    best.map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn essences_ranges_and_matches() {
        assert_eq!(
            essence("Application/JSON; charset=utf-8").as_deref(),
            Some("application/json")
        );
        assert_eq!(essence("json"), None);
        assert!(is_json("application/zrok.v1+json"));
        assert_eq!(
            kind("application/vnd.kubernetes.protobuf;stream=watch"),
            Kind::Binary
        );
        assert_eq!(kind("text/plain; charset=utf-8"), Kind::Text);
        assert_eq!(kind("Multipart/Form-Data; boundary=x"), Kind::Multipart);
        assert!(!is_json("text/plain"));
        assert!(matches("text/*", "text/plain; charset=utf-8"));
        assert!(matches("*/*", "image/png"));
        assert!(!matches("text/*", "application/json"));
        assert!(matches("application/json", "APPLICATION/JSON"));
        assert_eq!(
            best_match(["*/*", "text/*", "text/plain"], "text/plain"),
            Some(2)
        );
        assert_eq!(best_match(["*/*", "text/*"], "text/csv"), Some(1));
        assert_eq!(best_match(["application/json"], "text/csv"), None);
        // Exactly a documented type, in any case, and the same type with parameters.
        let documented = ["text/plain", "application/zrok.v1+json"];
        assert_eq!(best_match(documented, " Application/Zrok.V1+JSON"), Some(1));
        assert_eq!(
            best_match(documented, "application/zrok.v1+json; charset=utf-8"),
            Some(1)
        );
        assert_eq!(
            best_match(documented, "application/zrok.v1+json; charset"),
            None
        );
        // A structured suffix is part of the type: `+jsonx` and `+xml` are other types.
        assert_eq!(best_match(documented, "application/zrok.v1+jsonx"), None);
        assert_eq!(best_match(documented, "application/zrok.v1+xml"), None);
        assert!(!matches("application/zrok.v1+json", "application/zrok.v1"));
    }
}
