//! Media types, read once: the essence (`type/subtype`, lower-cased, parameters dropped) by
//! the `mime` crate, and how the generated code carries a body of that type.

use std::str::FromStr;

use crate::ir::MediaKind;

/// `application/json` for `Application/JSON; charset=utf-8`; `None` when it is not a media
/// type at all.
pub fn essence(media_type: &str) -> Option<String> {
    let parsed = mime::Mime::from_str(media_type.trim()).ok()?;
    Some(parsed.essence_str().to_ascii_lowercase())
}

/// How a media type is carried: any `+json` suffix is JSON (zrok's `application/zrok.v1+json`).
pub fn kind(media_type: &str) -> MediaKind {
    let Some(essence) = essence(media_type) else {
        return MediaKind::Binary;
    };
    if essence == "application/json" || essence.ends_with("+json") {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn essences_and_kinds() {
        assert_eq!(
            essence("Application/JSON; charset=utf-8").as_deref(),
            Some("application/json")
        );
        assert_eq!(essence("*/*").as_deref(), Some("*/*"));
        assert_eq!(essence("json"), None);
        assert_eq!(kind("application/zrok.v1+json"), MediaKind::Json);
        assert_eq!(
            kind("application/vnd.kubernetes.protobuf;stream=watch"),
            MediaKind::Binary
        );
        assert_eq!(kind("text/plain; charset=utf-8"), MediaKind::Text);
    }
}
