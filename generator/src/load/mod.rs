//! Load: the files a user brings become one [`Document`] in OpenAPI 3.x shape.
//!
//! 1. [`parse`]: the entry file's text into a JSON tree (YAML or JSON), noting duplicated
//!    keys and keys that are not strings;
//! 2. the dialect, from `openapi` or `swagger`;
//! 3. [`bundle`]: `$ref`s to other files are brought in (schemas and other components into
//!    `components`, everything else in place);
//! 4. [`swagger2`]: a Swagger 2.0 document is converted to OpenAPI 3.0;
//! 5. [`repair`]: the structural defects real specs carry are repaired, each with a warning
//!    (an error under `--strict`).
//!
//! Every stage records where what it moved came from, so a diagnostic about the result still
//! names the file, pointer and line the user wrote.

pub mod bundle;
pub mod parse;
pub mod repair;
pub mod swagger2;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Error, SourceFile, Sources};
use crate::document::{Dialect, Document};

/// A spec as the caller hands it over: the entry file's path (for messages, and to find the
/// files its `$ref`s name) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// Files a `$ref` may name, by path, read instead of the file system (for tests and for
    /// callers that hold the files in memory).
    pub files: BTreeMap<PathBuf, String>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            files: BTreeMap::new(),
        }
    }

    /// Reads a spec from disk; an unreadable file is reported like any other diagnostic.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        match read_file(path) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(err) => Err(Error::file(path, format!("cannot read the file: {err}"))),
        }
    }

    /// Adds a file that `$ref`s may name (its path as the entry's `$ref`s would reach it).
    pub fn with_file(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.files.insert(normalize(&path.into()), text.into());
        self
    }

    /// The text of a file a `$ref` names: in memory, else on disk. Only a regular file of at
    /// most [`MAX_REFERENCED_FILE`] bytes is read: a device or a pipe (`/dev/zero`) would
    /// never end.
    pub(crate) fn read_referenced(&self, path: &Path) -> std::io::Result<String> {
        match self.files.get(path) {
            Some(text) => Ok(text.clone()),
            None => read_file(path),
        }
    }
}

/// A spec file's text: a regular file of at most [`MAX_REFERENCED_FILE`] bytes.
fn read_file(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let too_large = || {
        Error::new(
            ErrorKind::InvalidData,
            format!("larger than {} MiB", MAX_REFERENCED_FILE / (1024 * 1024)),
        )
    };
    if metadata.len() > MAX_REFERENCED_FILE {
        return Err(too_large());
    }
    // The file may grow while it is read: never read past the limit.
    let mut text = String::new();
    file.take(MAX_REFERENCED_FILE + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_REFERENCED_FILE {
        return Err(too_large());
    }
    Ok(text)
}

/// The largest spec file read (the entry, or a file a `$ref` brings in); the largest real
/// spec we know, GitHub's, is 13 MB.
pub const MAX_REFERENCED_FILE: u64 = 64 * 1024 * 1024;

/// How lenient loading is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Every repair is an error instead of a warning.
    pub strict: bool,
}

/// Loads a spec into the normalised document. A document that cannot be read at all (syntax,
/// no dialect) is an error here; every other problem goes to `diagnostics`, which the caller
/// checks after validating, so that all are reported together.
pub fn load(source: &Source, diagnostics: &mut Diagnostics) -> Result<Document, Error> {
    let mut sources = Sources::new(SourceFile::new(source.path.clone(), source.text.clone()));
    let json = parse::is_json(&source.path, &source.text);
    let parsed = match parse::parse(&source.text, json) {
        Ok(parsed) => parsed,
        Err(error) => {
            let mut located = Error::file(
                source.path.clone(),
                format!(
                    "not valid {}: {}",
                    if json { "JSON" } else { "YAML" },
                    error.message
                ),
            );
            located.diagnostics[0].line = error.line;
            if let Some(pointer) = error.line.and_then(|line| sources.pointer_at_line(0, line)) {
                located.diagnostics[0].pointer = pointer;
            }
            located
                .diagnostics
                .splice(0..0, diagnostics.locate(&sources));
            return Err(located);
        }
    };
    report_parse_notes(&parsed, 0, diagnostics);
    let mut root = parsed.value;

    // Without a dialect nothing more can be read; `dialect` has said why.
    let written = dialect(&root, diagnostics);
    diagnostics.checkpoint(&sources)?;
    let Some(written) = written else {
        return Err(Error {
            diagnostics: diagnostics.locate(&sources),
        });
    };

    // A reference the bundler could not follow is reported by it and left as it was;
    // validation goes on, so that every other problem is reported with it.
    if bundle::needs_bundling(&source.text) {
        let layer = bundle::bundle(&mut root, written, source, &mut sources, diagnostics);
        sources.push_layer(layer);
    }

    let dialect = if written == Dialect::Swagger2 {
        let layer = swagger2::convert(&mut root, diagnostics);
        sources.push_layer(layer);
        Dialect::OpenApi30
    } else {
        written
    };

    // Errors of the stages since the dialect was known are not final yet: the caller
    // validates the document too, and reports everything together.
    let repaired = repair::repair(&mut root, dialect, diagnostics);
    sources.push_layer(repaired.layer);

    Ok(Document {
        root,
        written,
        dialect,
        sources,
        derived_operation_ids: repaired.derived_operation_ids,
    })
}

/// Reports what the parser noticed in one file (by its index in the sources), at pointers
/// into that file as written.
pub(crate) fn report_parse_notes(
    parsed: &parse::Parsed,
    file: usize,
    diagnostics: &mut Diagnostics,
) {
    let mut repair = |pointer: &str, message: &str, assumed: &str| {
        diagnostics.repair_in_file(file, pointer.to_string(), message, assumed)
    };
    for pointer in &parsed.duplicate_keys {
        repair(
            pointer,
            "this key is given more than once in its mapping",
            "the last value is used",
        );
    }
    // Status codes written as numbers are common and all alike: the first is reported, with
    // how many more there are.
    let (statuses, others): (Vec<&String>, Vec<&String>) =
        parsed.non_string_keys.iter().partition(|pointer| {
            let key = pointer.rsplit('/').next().unwrap_or_default();
            key.len() == 3 && key.bytes().all(|b| b.is_ascii_digit())
        });
    if let Some(first) = statuses.first() {
        let key = first.rsplit('/').next().unwrap_or_default();
        let more = match statuses.len() - 1 {
            0 => String::new(),
            1 => " (and so is 1 more in this file)".to_string(),
            n => format!(" (and so are {n} more in this file)"),
        };
        repair(
            first,
            &format!("status code `{key}` is written as a YAML number, not a string{more}"),
            "each is read as its digits",
        );
    }
    for pointer in others {
        let key = pointer.rsplit('/').next().unwrap_or_default();
        repair(
            pointer,
            &format!("key `{key}` is not a string"),
            &format!("read as the string \"{key}\""),
        );
    }
}

/// The dialect of a document, from its `openapi` or `swagger` field.
fn dialect(root: &Value, diagnostics: &mut Diagnostics) -> Option<Dialect> {
    let Some(object) = root.as_object() else {
        diagnostics.error(
            "",
            "not an OpenAPI document: the top level must be a mapping with `openapi` (or `swagger`) and `info`",
        );
        return None;
    };
    let version = |key: &str| -> Option<(String, bool)> {
        match object.get(key)? {
            Value::String(text) => Some((text.trim().to_string(), true)),
            Value::Number(number) => Some((number.to_string(), false)),
            _ => Some((String::new(), true)),
        }
    };
    if let Some((text, quoted)) = version("openapi") {
        let found = if text.starts_with("3.0") {
            Some(Dialect::OpenApi30)
        } else if text.starts_with("3.1") {
            Some(Dialect::OpenApi31)
        } else if text.starts_with("3.2") {
            Some(Dialect::OpenApi32)
        } else {
            None
        };
        let Some(found) = found.filter(|_| is_version(&text)) else {
            diagnostics.error(
                "/openapi",
                format!(
                    "unsupported OpenAPI version `{text}`: this generator reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2"
                ),
            );
            return None;
        };
        if !quoted {
            diagnostics.repair(
                "/openapi",
                &format!("the version is the number {text}, not a string"),
                &format!("read as \"{text}\""),
            );
        }
        return Some(found);
    }
    if let Some((text, quoted)) = version("swagger") {
        if text != "2.0" && text != "2" {
            diagnostics.error(
                "/swagger",
                format!("unsupported Swagger version `{text}`: only Swagger 2.0 is read"),
            );
            return None;
        }
        if !quoted {
            diagnostics.repair(
                "/swagger",
                &format!("the version is the number {text}, not a string"),
                "read as \"2.0\"",
            );
        }
        return Some(Dialect::Swagger2);
    }
    diagnostics.error(
        "",
        "not an OpenAPI document: it has neither `openapi` nor `swagger`",
    );
    None
}

/// `3.1`, `3.1.0`, `3.0.3-rc1`: a major and minor, a patch optional.
fn is_version(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// A path with `.` and `..` resolved lexically (the files may only exist in memory).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("3.1.0"));
        assert!(is_version("3.0"));
        assert!(is_version("3.2.0-rc1"));
        assert!(!is_version("3"));
        assert!(!is_version("3.x"));
    }

    #[test]
    fn paths_normalise_lexically() {
        assert_eq!(
            normalize(Path::new("specs/./lob/../shared/x.yml")),
            PathBuf::from("specs/shared/x.yml")
        );
        assert_eq!(normalize(Path::new("../a/./b")), PathBuf::from("../a/b"));
    }
}
