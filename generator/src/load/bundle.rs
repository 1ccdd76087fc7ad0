//! Multi-file documents: every `$ref` to another file is brought into the one document.
//!
//! What a reference brings in depends on where it stands (its [`Role`]): a schema, parameter,
//! response, request body, header, example or link becomes an entry of the matching
//! `components` section (`definitions` and friends in Swagger 2.0), named after the fragment's
//! last token or the file's stem (`./models/user.yaml` is `user`), with the folders above it
//! prefixed when two files claim one name. The reference then points at that entry, so a
//! component reached from many places (or from itself, across files) is one component.
//! Anything else (a path item, a `content` map, a description) is put in place. Prose may be
//! a Markdown file (`description: {$ref: ./intro.md}`), as several tools allow.
//!
//! Remote references (`http(s)://…`) are refused with the URL named: nothing is fetched.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Source, normalize, parse};
use crate::diagnostics::{
    Diagnostics, Layer, Origin, SourceFile, Sources, push_pointer, unescape_token,
};
use crate::document::Dialect;
use crate::document::role::Role;

/// Whether any `$ref` in the text names something other than a fragment of this file: a
/// quick look, so single-file documents (most, and the largest) skip the walk.
pub fn needs_bundling(text: &str) -> bool {
    let mut rest = text;
    while let Some(found) = rest.find("$ref") {
        rest = &rest[found + 4..];
        let value = rest
            .trim_start_matches(['"', '\''])
            .trim_start()
            .strip_prefix(':')
            .map(|value| {
                value.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            });
        if let Some(value) = value
            && !value.starts_with('#')
        {
            return true;
        }
    }
    false
}

/// Brings every file the document refers to into `root`; returns where each part came from.
pub fn bundle(
    root: &mut Value,
    dialect: Dialect,
    source: &Source,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
) -> Layer {
    let self_base = root
        .get("$self")
        .and_then(Value::as_str)
        .map(|uri| match uri.rfind('/') {
            Some(cut) => uri[..=cut].to_string(),
            None => uri.to_string(),
        });
    let mut bundler = Bundler {
        dialect,
        source,
        sources,
        diagnostics,
        loaded: HashMap::new(),
        values: HashMap::new(),
        hoisted: HashMap::new(),
        claimed: HashMap::new(),
        added: Vec::new(),
        inlining: Vec::new(),
        layer: Layer::default(),
        self_base,
    };
    bundler.claim_existing(root);
    // Components first: an entry component that is only a reference to another file takes
    // that file's schema under its own name before anything else can name it.
    let sections: &[&str] = match dialect {
        Dialect::Swagger2 => &["definitions", "parameters", "responses"],
        _ => &["components"],
    };
    for section in sections {
        if let Some(value) = root.get_mut(*section) {
            let role = Role::Document.child(section, dialect);
            bundler.walk(value, role, 0, &push_pointer("", section));
        }
    }
    bundler.walk(root, Role::Document, 0, "");
    let Bundler { added, layer, .. } = bundler;
    for (section, name, value) in added {
        let target = match (dialect, &mut *root) {
            (Dialect::Swagger2, Value::Object(map)) => map.entry(section),
            (_, Value::Object(map)) => {
                let components = map
                    .entry("components")
                    .or_insert_with(|| Value::Object(Map::new()));
                if !components.is_object() {
                    *components = Value::Object(Map::new());
                }
                let Value::Object(components) = components else {
                    continue;
                };
                components.entry(section)
            }
            _ => continue,
        };
        let section = target.or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(entries) = section {
            entries.insert(name, value);
        }
    }
    layer
}

struct Bundler<'s> {
    dialect: Dialect,
    source: &'s Source,
    sources: &'s mut Sources,
    diagnostics: &'s mut Diagnostics,
    /// Files read so far, by normalised path: their index in `sources`.
    loaded: HashMap<PathBuf, Option<usize>>,
    /// Parsed contents of the files read (not of the entry, which is being walked).
    values: HashMap<usize, Value>,
    /// Components brought in: (file, fragment) to the local reference that now names it.
    hoisted: HashMap<(usize, String), String>,
    /// Names taken per components section.
    claimed: HashMap<&'static str, HashSet<String>>,
    added: Vec<(&'static str, String, Value)>,
    /// What is being put in place right now, to refuse references that loop through it.
    inlining: Vec<(usize, String)>,
    layer: Layer,
    /// The folder of 3.2's `$self`: absolute references under it are files beside the entry.
    self_base: Option<String>,
}

/// A reference's target: a file (by index in `sources`) and a JSON pointer into it.
struct Target {
    file: usize,
    fragment: String,
}

impl Bundler<'_> {
    fn section_pointer(&self, section: &str) -> String {
        match self.dialect {
            Dialect::Swagger2 => push_pointer("", section),
            _ => push_pointer("/components", section),
        }
    }

    /// The entry's own components keep their names.
    fn claim_existing(&mut self, root: &Value) {
        for role in [
            Role::Schema,
            Role::Parameter,
            Role::Response,
            Role::RequestBody,
            Role::Header,
            Role::Example,
            Role::Link,
            Role::SecurityScheme,
        ] {
            let Some(section) = role.component_section(self.dialect) else {
                continue;
            };
            let names = root
                .pointer(&self.section_pointer(section))
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|entries| entries.keys().cloned());
            self.claimed.entry(section).or_default().extend(names);
        }
    }

    fn walk(&mut self, value: &mut Value, role: Role, file: usize, out: &str) {
        match value {
            Value::Object(map) => {
                if role != Role::Data
                    && let Some(reference) = map.get("$ref").and_then(Value::as_str)
                {
                    let reference = reference.to_string();
                    self.reference(value, &reference, role, file, out);
                    return;
                }
                for (key, child) in map.iter_mut() {
                    let child_role = role.child(key, self.dialect);
                    if child_role == Role::Data {
                        continue;
                    }
                    self.walk(child, child_role, file, &push_pointer(out, key));
                }
                if role == Role::Schema && file != 0 {
                    self.discriminator_mapping(map, file, out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    let key = index.to_string();
                    let child_role = role.child(&key, self.dialect);
                    if child_role == Role::Data {
                        continue;
                    }
                    self.walk(child, child_role, file, &push_pointer(out, &key));
                }
            }
            _ => {}
        }
    }

    /// A discriminator's mapping names schemas by `$ref` (data to the walk): those in another
    /// file are brought in like any schema reference.
    fn discriminator_mapping(&mut self, map: &mut Map<String, Value>, file: usize, out: &str) {
        let Some(Value::Object(mapping)) = map
            .get_mut("discriminator")
            .and_then(|discriminator| discriminator.get_mut("mapping"))
        else {
            return;
        };
        let base = push_pointer(&push_pointer(out, "discriminator"), "mapping");
        for (tag, target) in mapping.iter_mut() {
            let Some(reference) = target
                .as_str()
                .filter(|text| text.contains('#') || text.contains('.'))
            else {
                continue;
            };
            let reference = reference.to_string();
            let mut stand_in = serde_json::json!({ "$ref": reference });
            self.reference(
                &mut stand_in,
                &reference,
                Role::Schema,
                file,
                &push_pointer(&base, tag),
            );
            if let Some(local) = stand_in.get("$ref") {
                *target = local.clone();
            }
        }
    }

    fn reference(
        &mut self,
        value: &mut Value,
        reference: &str,
        role: Role,
        file: usize,
        out: &str,
    ) {
        let Some(target) = self.target(reference, file, out) else {
            return;
        };
        // Inside a component already brought in (a reference from a file into itself, such
        // as a discriminator naming its `#/oneOf/0`): a reference into that component.
        if target.file != 0
            && let Some(local) = self.within_hoisted(&target)
        {
            set_reference(value, local);
            return;
        }
        if target.file == 0 {
            // Back into the entry document: a local reference.
            set_reference(value, format!("#{}", escape_fragment(&target.fragment)));
            return;
        }
        if role == Role::Text {
            self.text(value, reference, &target, out);
            return;
        }
        match role.component_section(self.dialect) {
            Some(section) => self.hoist(value, reference, role, section, target, out),
            None => self.inline(value, reference, role, target, out),
        }
    }

    /// Where a reference from `file` points, reading the file it names; `None` (reported)
    /// when it cannot be followed.
    fn target(&mut self, reference: &str, file: usize, out: &str) -> Option<Target> {
        let (uri, fragment) = match reference.split_once('#') {
            Some((uri, fragment)) => (uri, percent_decode(fragment)),
            None => (reference, String::new()),
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.diagnostics.error(
                push_pointer(out, "$ref"),
                format!("unsupported $ref `{reference}`: the fragment must be a JSON pointer (`#/...`), not an anchor"),
            );
            return None;
        }
        if uri.is_empty() {
            return Some(Target { file, fragment });
        }
        let relative = if has_scheme(uri) {
            match self
                .self_base
                .as_deref()
                .and_then(|base| uri.strip_prefix(base))
            {
                Some(rest) => rest.to_string(),
                None => {
                    self.diagnostics.error(
                        push_pointer(out, "$ref"),
                        format!("remote $ref `{uri}`: references are not fetched; download the file and refer to it by a relative path"),
                    );
                    return None;
                }
            }
        } else {
            percent_decode(uri)
        };
        let referrer = self.sources.files[file].path.clone();
        let path = normalize(&referrer.parent().unwrap_or(Path::new("")).join(relative));
        if path == normalize(self.sources.entry()) {
            return Some(Target { file: 0, fragment });
        }
        let index = self.load(&path, reference, out)?;
        Some(Target {
            file: index,
            fragment,
        })
    }

    /// Reads (once) a file a reference names.
    fn load(&mut self, path: &Path, reference: &str, out: &str) -> Option<usize> {
        if let Some(loaded) = self.loaded.get(path) {
            return *loaded;
        }
        let text = match self.source.read_referenced(path) {
            Ok(text) => text,
            Err(err) => {
                self.diagnostics.error(
                    push_pointer(out, "$ref"),
                    format!(
                        "$ref `{reference}` names `{}`, which cannot be read: {err}",
                        path.display()
                    ),
                );
                self.loaded.insert(path.to_path_buf(), None);
                return None;
            }
        };
        let index = self
            .sources
            .add_file(SourceFile::new(path.to_path_buf(), text.clone()));
        self.loaded.insert(path.to_path_buf(), Some(index));
        if is_prose(path) {
            self.values.insert(index, Value::String(text));
            return Some(index);
        }
        match parse::parse(&text, parse::is_json(path, &text)) {
            Ok(parsed) => {
                super::report_parse_notes(&parsed, index, self.diagnostics);
                self.values.insert(index, parsed.value);
            }
            Err(error) => {
                let message = match error.line {
                    Some(line) => format!("{} (line {line})", error.message),
                    None => error.message,
                };
                self.diagnostics.error(
                    push_pointer(out, "$ref"),
                    format!(
                        "$ref `{reference}` names `{}`, which does not parse: {message}",
                        path.display()
                    ),
                );
            }
        }
        Some(index)
    }

    /// The node a target names, copied; `None` (reported) when it is not there.
    fn fetch(&mut self, reference: &str, target: &Target, out: &str) -> Option<Value> {
        let found = self
            .values
            .get(&target.file)
            .and_then(|value| value.pointer(&target.fragment))
            .cloned();
        if found.is_none() && self.values.contains_key(&target.file) {
            self.diagnostics.error(
                push_pointer(out, "$ref"),
                format!(
                    "$ref `{reference}`: `{}` has nothing at `#{}`",
                    self.sources.files[target.file].path.display(),
                    target.fragment
                ),
            );
        }
        found
    }

    fn text(&mut self, value: &mut Value, reference: &str, target: &Target, out: &str) {
        match self.fetch(reference, target, out) {
            Some(Value::String(text)) => *value = Value::String(text),
            Some(_) => self.diagnostics.error(
                push_pointer(out, "$ref"),
                format!("$ref `{reference}` stands for text here, but names something that is not a string"),
            ),
            None => {}
        }
    }

    fn hoist(
        &mut self,
        value: &mut Value,
        reference: &str,
        role: Role,
        section: &'static str,
        target: Target,
        out: &str,
    ) {
        let key = (target.file, target.fragment.clone());
        if let Some(local) = self.hoisted.get(&key) {
            set_reference(value, local.clone());
            return;
        }
        let Some(mut content) = self.fetch(reference, &target, out) else {
            return;
        };
        // A component of the entry that is only this reference (`User: {$ref: ./user.yaml}`)
        // becomes the component itself, under the entry's name.
        let entry_component = out
            .strip_prefix(&self.section_pointer(section))
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| !name.contains('/'))
            && value.as_object().is_some_and(|map| map.len() == 1);
        if entry_component {
            let local = format!("#{}", escape_fragment(out));
            self.hoisted.insert(key, local);
            self.record_origin(out.to_string(), &target);
            self.walk(&mut content, role, target.file, out);
            *value = content;
            return;
        }
        let name = self.claim(section, &target);
        let pointer = push_pointer(&self.section_pointer(section), &name);
        let local = format!("#{}", escape_fragment(&pointer));
        self.hoisted.insert(key, local.clone());
        self.record_origin(pointer.clone(), &target);
        self.walk(&mut content, role, target.file, &pointer);
        self.added.push((section, name, content));
        set_reference(value, local);
    }

    /// Records that the document's `at` came from the reference's target.
    fn record_origin(&mut self, at: String, target: &Target) {
        let origin = Origin {
            file: Some(target.file),
            pointer: target.fragment.clone(),
        };
        self.layer.record(at, origin);
    }

    fn inline(
        &mut self,
        value: &mut Value,
        reference: &str,
        role: Role,
        target: Target,
        out: &str,
    ) {
        let key = (target.file, target.fragment.clone());
        if self.inlining.contains(&key) {
            self.diagnostics.error(
                push_pointer(out, "$ref"),
                format!("$ref `{reference}` leads back to itself through objects that are not schemas, so it cannot be put in place"),
            );
            return;
        }
        let Some(mut content) = self.fetch(reference, &target, out) else {
            return;
        };
        self.inlining.push(key);
        self.record_origin(out.to_string(), &target);
        self.walk(&mut content, role, target.file, out);
        self.inlining.pop();
        // Siblings of the reference (3.1 lets `summary` and `description` override) win.
        if let (Value::Object(siblings), Value::Object(target)) = (&*value, &mut content) {
            for (key, sibling) in siblings {
                if key != "$ref" {
                    target.insert(key.clone(), sibling.clone());
                }
            }
        }
        *value = content;
    }

    /// The local reference of a target that lies inside a component already brought in.
    fn within_hoisted(&self, target: &Target) -> Option<String> {
        self.hoisted
            .iter()
            .filter(|((file, fragment), _)| {
                *file == target.file
                    && target.fragment.len() > fragment.len()
                    && target.fragment.starts_with(fragment.as_str())
                    && target.fragment.as_bytes()[fragment.len()] == b'/'
            })
            .max_by_key(|((_, fragment), _)| fragment.len())
            .map(|((_, fragment), local)| {
                format!(
                    "{local}{}",
                    escape_fragment(&target.fragment[fragment.len()..])
                )
            })
    }

    /// A name for a component brought in: the fragment's last token or the file's stem, then
    /// with the folders above the file prefixed until it is free, then numbered.
    fn claim(&mut self, section: &'static str, target: &Target) -> String {
        let path = self.sources.files[target.file].path.clone();
        let base = match target.fragment.rsplit('/').next() {
            Some(token) if !target.fragment.is_empty() && !token.is_empty() => {
                unescape_token(token)
            }
            _ => path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_else(|| "component".into()),
        };
        let mut candidates = vec![base.clone()];
        let mut prefixed = base.clone();
        for folder in path
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .rev()
            .filter_map(|component| match component {
                std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
        {
            prefixed = format!("{folder}_{prefixed}");
            candidates.push(prefixed.clone());
        }
        let taken = self.claimed.entry(section).or_default();
        let name = candidates
            .into_iter()
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_else(|| {
                (2..)
                    .map(|n| format!("{base}_{n}"))
                    .find(|candidate| !taken.contains(candidate))
                    .expect("an unbounded counter finds a free name")
            });
        taken.insert(name.clone());
        name
    }
}

fn set_reference(value: &mut Value, reference: String) {
    if let Value::Object(map) = value {
        map.insert("$ref".into(), Value::String(reference));
    }
}

/// `http:`, `https:`, `urn:`… (a Windows drive letter is not a scheme).
fn has_scheme(uri: &str) -> bool {
    match uri.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Files read as text rather than parsed: Markdown and friends.
fn is_prose(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "md" | "markdown" | "txt" | "html" | "htm"
            )
        })
}

/// Percent-decoding, as URI references allow (`%` not followed by two hex digits stays).
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// What a URI fragment holds as it is (RFC 3986's `pchar`, `/` and `?`, less `?`, which
/// pointers never need): everything else is percent-encoded.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// A JSON pointer as a URI fragment: characters a fragment cannot hold are percent-encoded.
pub fn escape_fragment(pointer: &str) -> String {
    percent_encoding::utf8_percent_encode(pointer, FRAGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_look_finds_external_references_only() {
        assert!(!needs_bundling(r##"{"$ref": "#/components/schemas/A"}"##));
        assert!(!needs_bundling(
            "schema:\n  $ref: '#/components/schemas/A'\n"
        ));
        assert!(needs_bundling("schema:\n  $ref: ./a.yaml\n"));
        assert!(needs_bundling("schema:\n  $ref: \"../a.yaml#/A\"\n"));
        assert!(needs_bundling(r#"{"$ref":"a.json"}"#));
    }

    #[test]
    fn schemes_and_fragments() {
        assert!(has_scheme("https://example.com/a.yaml"));
        assert!(!has_scheme("./a.yaml"));
        assert!(!has_scheme("C:/specs/a.yaml"));
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(escape_fragment("/paths/~1a b"), "/paths/~1a%20b");
    }
}
