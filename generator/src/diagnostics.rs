//! Located diagnostics. Every stage reports into one [`Diagnostics`] sink instead of stopping
//! at the first problem. Stages after `load` see one normalised document, so they report JSON
//! pointers into it; [`Sources`] maps each pointer back to the file the user wrote (a Swagger
//! 2.0 document, or one file of a multi-file spec), and to its line there.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation cannot go on.
    Error,
    /// A defect the generator repaired in a documented way (an error under `--strict`).
    Warning,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file the problem is in, as the caller named it (or as a `$ref` reached it).
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) to the offending node in that file, `""` for the whole file.
    pub pointer: String,
    /// 1-based line of the node in that file, when it could be found.
    pub line: Option<usize>,
    /// What is wrong, as a sentence fragment.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, ": at #{pointer}: {}", self.message)
    }
}

/// Every problem that stopped generation, with the warnings found before it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// The diagnostics that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
    }

    /// A single error about a whole file, such as one that cannot be read.
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                file: file.into(),
                pointer: String::new(),
                line: None,
                message: message.into(),
            }],
        }
    }
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        let warnings = self.diagnostics.len() - errors;
        write!(f, "{} in the spec", plural(errors, "error"))?;
        if warnings > 0 {
            write!(f, " (and {})", plural(warnings, "warning"))?;
        }
        writeln!(f, ":")?;
        for diagnostic in &self.diagnostics {
            writeln!(f, "  {}: {diagnostic}", severity_label(diagnostic.severity))?;
        }
        Ok(())
    }
}

/// `error` or `warning`, as the diagnostics print it.
pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One reported problem, located in the normalised document until [`Diagnostics::locate`].
#[derive(Debug, Clone)]
struct Pending {
    severity: Severity,
    /// `Some`: a pointer into that file as written (for what is noticed while reading a file
    /// that a `$ref` names, before anything of it is placed).
    file: Option<usize>,
    pointer: String,
    message: String,
}

/// Collects diagnostics across the stages of one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pending: Vec<Pending>,
    /// Repairs are errors.
    strict: bool,
}

impl Diagnostics {
    pub fn new(strict: bool) -> Self {
        Self {
            pending: Vec::new(),
            strict,
        }
    }

    pub fn strict(&self) -> bool {
        self.strict
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, pointer.into(), message.into());
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, pointer.into(), message.into());
    }

    /// A defect the generator reads anyway: `message` says what is wrong, `assumed` what it
    /// was read as. A warning, or an error under `--strict`.
    pub fn repair(&mut self, pointer: impl Into<String>, message: &str, assumed: &str) {
        if self.strict {
            self.push(
                Severity::Error,
                pointer.into(),
                format!("{message} (without --strict: {assumed})"),
            );
        } else {
            self.push(
                Severity::Warning,
                pointer.into(),
                format!("{message}; {assumed}"),
            );
        }
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) {
        self.pending.push(Pending {
            severity,
            file: None,
            pointer,
            message,
        });
    }

    /// Like [`Diagnostics::repair`], at a pointer into one file as written.
    pub fn repair_in_file(&mut self, file: usize, pointer: String, message: &str, assumed: &str) {
        self.repair(pointer, message, assumed);
        if let Some(last) = self.pending.last_mut() {
            last.file = Some(file);
        }
    }

    /// An error at a pointer into one file as written.
    pub fn error_in_file(&mut self, file: usize, pointer: String, message: impl Into<String>) {
        self.error(pointer, message);
        if let Some(last) = self.pending.last_mut() {
            last.file = Some(file);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.pending
            .iter()
            .any(|pending| pending.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Ends a stage: `Ok` while nothing is an error, otherwise every diagnostic so far
    /// (warnings included), located.
    pub fn checkpoint(&self, sources: &Sources) -> Result<(), Error> {
        if !self.has_errors() {
            return Ok(());
        }
        Err(Error {
            diagnostics: self.locate(sources),
        })
    }

    /// Every diagnostic so far, mapped to the files the user wrote and their lines. The same
    /// problem reached twice (a shared component, say) is reported once.
    pub fn locate(&self, sources: &Sources) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.pending.len());
        for pending in &self.pending {
            let (file, pointer) = match pending.file {
                Some(file) => (file, pending.pointer.clone()),
                None => sources.origin(&pending.pointer),
            };
            let diagnostic = Diagnostic {
                severity: pending.severity,
                file: sources.files[file].path.clone(),
                line: sources.line(file, &pointer),
                pointer,
                message: pending.message.clone(),
            };
            if !out.contains(&diagnostic) {
                out.push(diagnostic);
            }
        }
        out
    }
}

/// Where a walk over a document is, as a list linked through the walk's stack: the pointer
/// is built only when a diagnostic needs one.
pub struct Trail<'a> {
    parent: Option<&'a Trail<'a>>,
    step: Step<'a>,
}

enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Trail<'a> {
    pub fn root() -> Self {
        Self {
            parent: None,
            step: Step::Root,
        }
    }

    /// The member `key` of where this trail is.
    pub fn key(&'a self, key: &'a str) -> Self {
        Self {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The item `index` of where this trail is.
    pub fn index(&'a self, index: usize) -> Self {
        Self {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    /// The JSON pointer of where the trail is.
    pub fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut node = Some(self);
        while let Some(current) = node {
            steps.push(&current.step);
            node = current.parent;
        }
        let mut out = String::new();
        for step in steps.into_iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) => out = push_pointer(&out, key),
                Step::Index(index) => out = push_pointer(&out, &index.to_string()),
            }
        }
        out
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn push_pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// RFC 6901 unescaping of one reference token (`~1` is `/`, `~0` is `~`).
pub fn unescape_token(token: &str) -> String {
    if !token.contains('~') {
        return token.to_string();
    }
    token.replace("~1", "/").replace("~0", "~")
}

// ---------------------------------------------------------------------------------------------
// Where the normalised document came from

/// A file the loader read: the entry document or one a `$ref` reached.
#[derive(Debug)]
pub struct SourceFile {
    /// As the caller named it (the entry), or joined from the referring file's folder.
    pub path: PathBuf,
    pub text: String,
    lines: OnceLock<Option<LineIndex>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        Self {
            path,
            text,
            lines: OnceLock::new(),
        }
    }
}

/// Where a subtree of a stage's output came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// `None`: the previous stage's document; `Some(file)`: a file as written.
    pub file: Option<usize>,
    pub pointer: String,
}

/// One stage's moves: each entry says that the subtree at a pointer of the stage's output was
/// the subtree at [`Origin`] of its input. The longest matching entry wins; pointers no entry
/// covers are where they were.
#[derive(Debug, Default, Clone)]
pub struct Layer {
    entries: Vec<(String, Origin)>,
}

impl Layer {
    pub fn record(&mut self, output: impl Into<String>, origin: Origin) {
        self.entries.push((output.into(), origin));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry covering `pointer` (the longest prefix that ends at a token boundary).
    fn lookup(&self, pointer: &str) -> Option<(&str, &Origin)> {
        self.entries
            .iter()
            .filter(|(prefix, _)| {
                pointer.starts_with(prefix.as_str())
                    && (pointer.len() == prefix.len() || pointer.as_bytes()[prefix.len()] == b'/')
            })
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(prefix, origin)| (prefix.as_str(), origin))
    }
}

/// Every file read for one spec, and the layers that map the normalised document back to them.
#[derive(Debug)]
pub struct Sources {
    /// The entry document first.
    pub files: Vec<SourceFile>,
    /// In the order the stages ran (bundling, conversion, repairs).
    layers: Vec<Layer>,
}

impl Sources {
    pub fn new(entry: SourceFile) -> Self {
        Self {
            files: vec![entry],
            layers: Vec::new(),
        }
    }

    pub fn add_file(&mut self, file: SourceFile) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    pub fn push_layer(&mut self, layer: Layer) {
        if !layer.is_empty() {
            self.layers.push(layer);
        }
    }

    /// The file and pointer, as written, of a pointer into the normalised document.
    pub fn origin(&self, pointer: &str) -> (usize, String) {
        let mut pointer = pointer.to_string();
        for layer in self.layers.iter().rev() {
            if let Some((prefix, origin)) = layer.lookup(&pointer) {
                let rest = pointer[prefix.len()..].to_string();
                pointer = format!("{}{rest}", origin.pointer);
                if let Some(file) = origin.file {
                    return (file, pointer);
                }
            }
        }
        (0, pointer)
    }

    /// The line of the node at `pointer` in one file (or of its nearest ancestor there).
    pub fn line(&self, file: usize, pointer: &str) -> Option<usize> {
        let file = self.files.get(file)?;
        file.lines
            .get_or_init(|| LineIndex::build(&file.text))
            .as_ref()
            .and_then(|index| index.line_of(pointer))
    }

    /// The deepest node that starts at or before `line` in one file: where a syntax error
    /// is, as a pointer (the index covers what parsed before the error).
    pub fn pointer_at_line(&self, file: usize, line: usize) -> Option<String> {
        let file = self.files.get(file)?;
        let index = file
            .lines
            .get_or_init(|| LineIndex::build(&file.text))
            .as_ref()?;
        index
            .entries
            .iter()
            .filter(|(_, at)| *at <= line)
            .max_by_key(|(pointer, at)| (*at, pointer.len()))
            .map(|(pointer, _)| pointer.clone())
    }

    /// The entry file's path.
    pub fn entry(&self) -> &Path {
        &self.files[0].path
    }
}

/// Maps JSON pointers to source lines by replaying the YAML event stream (JSON is YAML too).
#[derive(Debug)]
struct LineIndex {
    entries: Vec<(String, usize)>,
}

impl LineIndex {
    fn build(source: &str) -> Option<Self> {
        let mut builder = LineIndexBuilder::default();
        let mut parser = Parser::new_from_str(source);
        // A document that does not parse to the end still has lines for what came before.
        let _ = parser.load(&mut builder, false);
        let mut entries = builder.entries;
        if entries.is_empty() {
            return None;
        }
        // Stable, so a duplicated key keeps the line of its last occurrence (the one read).
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.reverse();
        entries.dedup_by(|a, b| a.0 == b.0);
        entries.reverse();
        Some(Self { entries })
    }

    /// The line of the node at `pointer`, or of its nearest ancestor that exists in the source.
    fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut candidate = pointer;
        loop {
            if let Ok(found) = self
                .entries
                .binary_search_by(|(key, _)| key.as_str().cmp(candidate))
            {
                return Some(self.entries[found].1);
            }
            let cut = candidate.rfind('/')?;
            candidate = &candidate[..cut];
        }
    }
}

enum Frame {
    /// `key` is the pending key with its line: a value is reported at its key's line.
    Mapping {
        pointer: String,
        key: Option<(String, usize)>,
    },
    Sequence {
        pointer: String,
        index: usize,
    },
}

#[derive(Default)]
struct LineIndexBuilder {
    stack: Vec<Frame>,
    entries: Vec<(String, usize)>,
}

impl LineIndexBuilder {
    /// The pointer and line of the node that starts at `line`, advancing the parent's position.
    fn next_child(&mut self, line: usize) -> Option<(String, usize)> {
        match self.stack.last_mut() {
            None => Some((String::new(), line)),
            Some(Frame::Mapping { pointer, key }) => key
                .take()
                .map(|(key, key_line)| (push_pointer(pointer, &key), key_line)),
            Some(Frame::Sequence { pointer, index }) => {
                let child = push_pointer(pointer, &index.to_string());
                *index += 1;
                Some((child, line))
            }
        }
    }
}

impl MarkedEventReceiver for LineIndexBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut()
                    && key.is_none()
                {
                    *key = Some((value, mark.line()));
                    return;
                }
                if let Some(entry) = self.next_child(mark.line()) {
                    self.entries.push(entry);
                }
            }
            Event::Alias(_) => {
                if let Some(entry) = self.next_child(mark.line()) {
                    self.entries.push(entry);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let (pointer, line) = self.next_child(mark.line()).unwrap_or_default();
                self.entries.push((pointer.clone(), line));
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping { pointer, key: None }
                    } else {
                        Frame::Sequence { pointer, index: 0 }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_of_yaml_and_json_nodes() {
        let yaml = "openapi: 3.0.3\npaths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n          in: query\n";
        let index = LineIndex::build(yaml).unwrap();
        assert_eq!(index.line_of("/paths/~1a~1b/get"), Some(4));
        assert_eq!(index.line_of("/paths/~1a~1b/get/parameters/0/in"), Some(7));
        assert_eq!(index.line_of("/paths/~1a~1b/get/missing/deeper"), Some(4));
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"title\": \"t\"\n  }\n}\n";
        let index = LineIndex::build(json).unwrap();
        assert_eq!(index.line_of("/info/title"), Some(4));
    }

    #[test]
    fn a_duplicated_key_has_the_line_of_its_last_occurrence() {
        let yaml = "a:\n  x: 1\n  x: 2\n";
        let index = LineIndex::build(yaml).unwrap();
        assert_eq!(index.line_of("/a/x"), Some(3));
    }

    /// `main.yaml` whose `/components/schemas/User` was bundled from `user.yaml`'s `/User`.
    fn bundled_user_file() -> Sources {
        let mut sources = Sources::new(SourceFile::new("main.yaml".into(), String::new()));
        let other = sources.add_file(SourceFile::new("user.yaml".into(), String::new()));
        let mut bundle = Layer::default();
        bundle.record(
            "/components/schemas/User",
            Origin {
                file: Some(other),
                pointer: "/User".into(),
            },
        );
        sources.push_layer(bundle);
        sources
    }

    #[test]
    fn layers_map_pointers_back_to_the_files_written() {
        let mut sources = bundled_user_file();
        let mut convert = Layer::default();
        convert.record(
            "/components/schemas",
            Origin {
                file: None,
                pointer: "/definitions".into(),
            },
        );
        sources.push_layer(convert);
        // Converted, then bundled: `/definitions/User` came from user.yaml.
        assert_eq!(
            sources.origin("/components/schemas/Pet/properties/id"),
            (0, "/definitions/Pet/properties/id".to_string())
        );
        assert_eq!(sources.origin("/paths/~1a"), (0, "/paths/~1a".to_string()));
        let sources = bundled_user_file();
        assert_eq!(
            sources.origin("/components/schemas/User/properties/id"),
            (1, "/User/properties/id".to_string())
        );
        assert_eq!(
            sources.origin("/components/schemas/UserX"),
            (0, "/components/schemas/UserX".to_string())
        );
    }
}
