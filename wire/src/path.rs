//! Path templates as data: `/users/{id}` is `[Literal("/users/"), Param("id")]`. Nothing else
//! scans a template for `{` and `}`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathTemplate {
    raw: String,
    segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Literal(String),
    Param(String),
}

/// Why a template does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedTemplate;

impl fmt::Display for MalformedTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("each `{` needs a name and a closing `}`")
    }
}

impl PathTemplate {
    /// Fails on an unclosed or empty `{}`, or a brace inside one.
    pub fn parse(raw: &str) -> Result<PathTemplate, MalformedTemplate> {
        let mut segments = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err(MalformedTemplate);
            }
            let close = open + rest[open..].find('}').ok_or(MalformedTemplate)?;
            let name = &rest[open + 1..close];
            if name.is_empty() || name.contains('{') {
                return Err(MalformedTemplate);
            }
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_string()));
            }
            segments.push(PathSegment::Param(name.to_string()));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        Ok(PathTemplate {
            raw: raw.to_string(),
            segments,
        })
    }

    /// A template of literal text only (a webhook's `/<name>`).
    pub fn literal(path: &str) -> PathTemplate {
        PathTemplate {
            raw: path.to_string(),
            segments: vec![PathSegment::Literal(path.to_string())],
        }
    }

    /// As the spec writes it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }

    /// The placeholders, in order.
    pub fn parameter_names(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }

    /// The template with its parameter names erased (`/a/{x}.json` is `/a/{}.json`): two
    /// templates with one shape are the same path to a router.
    pub fn shape(&self) -> String {
        self.segments
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => text.as_str(),
                PathSegment::Param(_) => "{}",
            })
            .collect()
    }

    /// How much literal text the template has: the more, the more specific it is.
    pub fn literal_len(&self) -> usize {
        self.segments
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => text.len(),
                PathSegment::Param(_) => 0,
            })
            .sum()
    }

    /// The template's `/`-separated parts, each with its position and its own segments
    /// (`/compare/{base}...{head}` has a part at position 2 holding two parameters).
    pub fn parts(&self) -> Vec<(usize, Vec<PathSegment>)> {
        let mut parts: Vec<Vec<PathSegment>> = vec![Vec::new()];
        for segment in &self.segments {
            match segment {
                PathSegment::Param(_) => {
                    parts.last_mut().expect("never empty").push(segment.clone())
                }
                PathSegment::Literal(text) => {
                    let mut pieces = text.split('/');
                    if let Some(first) = pieces.next()
                        && !first.is_empty()
                    {
                        parts
                            .last_mut()
                            .expect("never empty")
                            .push(PathSegment::Literal(first.to_string()));
                    }
                    for piece in pieces {
                        parts.push(Vec::new());
                        if !piece.is_empty() {
                            parts
                                .last_mut()
                                .expect("never empty")
                                .push(PathSegment::Literal(piece.to_string()));
                        }
                    }
                }
            }
        }
        parts.into_iter().enumerate().collect()
    }

    /// The parameters of a request path (percent-encoded, relative to the router) under this
    /// template, each value still percent-encoded; `None` when the path does not fit.
    pub fn match_path(&self, path: &str) -> Option<Vec<(String, String)>> {
        let parts = self.parts();
        let given: Vec<&str> = path.split('/').collect();
        if given.len() != parts.len() {
            return None;
        }
        let mut out = Vec::new();
        for ((_, segments), value) in parts.iter().zip(given) {
            match_part(segments, value, &mut out)?;
        }
        Some(out)
    }

    /// The parameters of one `/`-separated part of a path (`value`) under that part of the
    /// template (`segments`), as a router that captured the whole part gives it.
    pub fn match_part(segments: &[PathSegment], value: &str) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        match_part(segments, value, &mut out)?;
        Some(out)
    }
}

/// Matches one part against its segments (`{base}...{head}`): each parameter's value runs to
/// the next literal text (or to the end).
fn match_part(
    segments: &[PathSegment],
    value: &str,
    out: &mut Vec<(String, String)>,
) -> Option<()> {
    let mut rest = value;
    let mut index = 0;
    while index < segments.len() {
        match &segments[index] {
            PathSegment::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
            PathSegment::Param(name) => {
                let end = match segments.get(index + 1) {
                    Some(PathSegment::Literal(next)) => rest.find(next.as_str())?,
                    _ => rest.len(),
                };
                out.push((name.clone(), rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
        index += 1;
    }
    rest.is_empty().then_some(())
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for PathTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for PathTemplate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        PathTemplate::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_into_segments() {
        let template = PathTemplate::parse("/users/{id}/keys.{format}").unwrap();
        assert_eq!(
            template.segments(),
            [
                PathSegment::Literal("/users/".into()),
                PathSegment::Param("id".into()),
                PathSegment::Literal("/keys.".into()),
                PathSegment::Param("format".into()),
            ]
        );
        assert_eq!(template.shape(), "/users/{}/keys.{}");
        assert!(PathTemplate::parse("/a/{b").is_err());
        assert!(PathTemplate::parse("/a/{}").is_err());
        assert!(PathTemplate::parse("/a/b}").is_err());
    }

    #[test]
    fn paths_match_templates() {
        let template = PathTemplate::parse("/compare/{base}...{head}").unwrap();
        assert_eq!(
            template.match_path("/compare/main...topic"),
            Some(vec![
                ("base".into(), "main".into()),
                ("head".into(), "topic".into())
            ])
        );
        assert_eq!(template.match_path("/compare/main"), None);
        let plain = PathTemplate::parse("/compare/{basehead}").unwrap();
        assert_eq!(
            plain.match_path("/compare/main"),
            Some(vec![("basehead".into(), "main".into())])
        );
        assert_eq!(plain.match_path("/compare/main/extra"), None);
        assert_eq!(
            PathTemplate::parse("/a/{x}.json")
                .unwrap()
                .match_path("/a/1.json"),
            Some(vec![("x".into(), "1".into())])
        );
    }

    #[test]
    fn parts_by_position() {
        let template =
            PathTemplate::parse("/repos/{owner}/{repo}/compare/{base}...{head}").unwrap();
        let holding: Vec<usize> = template
            .parts()
            .into_iter()
            .filter(|(_, segments)| segments.iter().any(|s| matches!(s, PathSegment::Param(_))))
            .map(|(position, _)| position)
            .collect();
        assert_eq!(holding, [2, 3, 5]);
    }
}
