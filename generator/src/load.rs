//! Load: source text (YAML or JSON) into an `openapiv3::OpenAPI`, refusing documents that are
//! not OpenAPI 3.0 before their shape is looked at.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Error, push_pointer};

/// A spec as the caller hands it over: its path (for messages) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// Reads a spec from disk; an unreadable file is reported like any other diagnostic.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(err) => Err(Error {
                diagnostics: vec![Diagnostic {
                    file: path.to_path_buf(),
                    pointer: String::new(),
                    line: None,
                    message: format!("cannot read the file: {err}"),
                }],
            }),
        }
    }

    fn is_json(&self) -> bool {
        self.path.extension().is_some_and(|ext| ext == "json")
            || self.text.trim_start().starts_with('{')
    }
}

/// Parses the document. Syntax errors and keywords of the wrong type are reported with the
/// path serde was at (as a JSON pointer) and the line the parser gives.
pub fn load(source: &Source) -> Result<openapiv3::OpenAPI, Error> {
    // The fast path: most documents parse, and tracking serde's path costs a third of the
    // parse. Only a document that fails is parsed again, with the path tracked.
    let fast = if source.is_json() {
        serde_json::from_str::<openapiv3::OpenAPI>(&source.text).ok()
    } else {
        serde_yaml::from_str::<openapiv3::OpenAPI>(&source.text).ok()
    };
    if let Some(document) = fast {
        check_version(source, "/openapi", &document.openapi)?;
        return Ok(document);
    }
    let parsed = if source.is_json() {
        let mut de = serde_json::Deserializer::from_str(&source.text);
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&mut de).map_err(|err| {
            located(
                err.path(),
                err.inner().to_string(),
                Some(err.inner().line()),
            )
        })
    } else {
        let de = serde_yaml::Deserializer::from_str(&source.text);
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(de).map_err(|err| {
            let line = err.inner().location().map(|location| location.line());
            located(err.path(), err.inner().to_string(), line)
        })
    };
    match parsed {
        Ok(document) => {
            check_version(source, "/openapi", &document.openapi)?;
            Ok(document)
        }
        Err((pointer, message, line)) => {
            let (pointer, message, line) = refine(source, pointer, message, line);
            // A 2.0 or 3.1 document usually fails to parse as 3.0: say that instead.
            if let Some((pointer, version)) = sniff_version(source)
                && !version.starts_with("3.0.")
            {
                check_version(source, pointer, &version)?;
            }
            // serde's messages repeat the line; keep only what is wrong.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            let message = format!("not a valid OpenAPI 3.0 document: {message}");
            match line.filter(|line| *line > 0) {
                Some(line) => Err(Error {
                    diagnostics: vec![Diagnostic {
                        file: source.path.clone(),
                        pointer,
                        line: Some(line),
                        message,
                    }],
                }),
                None => {
                    let mut diagnostics = Diagnostics::default();
                    diagnostics.error(pointer, message);
                    Err(Error {
                        diagnostics: diagnostics.locate(&source.path, &source.text),
                    })
                }
            }
        }
    }
}

fn located(
    path: &serde_path_to_error::Path,
    message: String,
    line: Option<usize>,
) -> (String, String, Option<usize>) {
    let mut pointer = String::new();
    for segment in path.iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => pointer = push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = push_pointer(&pointer, key),
            Segment::Enum { variant } => pointer = push_pointer(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    (pointer, message, line)
}

fn check_version(source: &Source, pointer: &str, version: &str) -> Result<(), Error> {
    if version.starts_with("3.0.") {
        return Ok(());
    }
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        pointer,
        format!(
            "unsupported OpenAPI version `{version}`: this generator reads OpenAPI 3.0.x documents"
        ),
    );
    diagnostics.finish(&source.path, &source.text)
}

/// Reads only the version fields, for a better message when the full parse fails.
fn sniff_version(source: &Source) -> Option<(&'static str, String)> {
    #[derive(Deserialize)]
    struct Version {
        openapi: Option<String>,
        swagger: Option<String>,
    }
    let version: Version = if source.is_json() {
        serde_json::from_str(&source.text).ok()?
    } else {
        serde_yaml::from_str(&source.text).ok()?
    };
    match (version.openapi, version.swagger) {
        (Some(openapi), _) => Some(("/openapi", openapi)),
        (None, Some(swagger)) => Some(("/swagger", format!("{swagger} (Swagger)"))),
        (None, None) => None,
    }
}

/// openapiv3 deserialises `paths` and component maps through buffered content, so serde's path
/// stops at `/paths`. Deserialising each entry on its own finds the keyword that is wrong.
fn refine(
    source: &Source,
    pointer: String,
    message: String,
    line: Option<usize>,
) -> (String, String, Option<usize>) {
    fn entries<T: serde::de::DeserializeOwned>(
        map: &serde_json::Map<String, serde_json::Value>,
        base: &str,
    ) -> Option<(String, String)> {
        map.iter().find_map(|(key, value)| {
            let entry = push_pointer(base, key);
            serde_path_to_error::deserialize::<_, T>(value)
                .err()
                .map(|err| {
                    let (inner, message, _) = located(err.path(), err.inner().to_string(), None);
                    (format!("{entry}{inner}"), message)
                })
        })
    }
    let document: Option<serde_json::Value> = if source.is_json() {
        serde_json::from_str(&source.text).ok()
    } else {
        serde_yaml::from_str(&source.text).ok()
    };
    let Some(document) = document else {
        return (pointer, message, line);
    };
    let section = |path: &str| {
        document
            .pointer(path)
            .and_then(serde_json::Value::as_object)
    };
    let found = match pointer.as_str() {
        "/paths" => section("/paths").and_then(|map| entries::<openapiv3::PathItem>(map, "/paths")),
        "/components" => section("/components/schemas")
            .and_then(|map| entries::<openapiv3::Schema>(map, "/components/schemas"))
            .or_else(|| {
                section("/components/parameters")
                    .and_then(|map| entries::<openapiv3::Parameter>(map, "/components/parameters"))
            })
            .or_else(|| {
                section("/components/responses")
                    .and_then(|map| entries::<openapiv3::Response>(map, "/components/responses"))
            }),
        _ => None,
    };
    match found {
        // The line is looked up from the refined pointer by the caller's diagnostics.
        Some((refined, message)) => (refined, message, None),
        None => (pointer, message, line),
    }
}
