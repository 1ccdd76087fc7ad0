//! Located errors. Every stage reports into a [`Diagnostics`] sink instead of stopping at the
//! first problem, and every diagnostic names the file, the JSON pointer and (where the source
//! text lets us find it) the line.

use std::fmt;
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as the caller named it.
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) to the offending node, `""` for the whole document.
    pub pointer: String,
    /// 1-based line of the node in the source text, when it could be found.
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

/// Every problem that stopped generation, in the order they were found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.diagnostics.len();
        writeln!(
            f,
            "{count} error{} in the spec:",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.diagnostics {
            writeln!(f, "  error: {diagnostic}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics during one stage; `finish` turns them into an [`Error`].
#[derive(Debug, Default)]
pub struct Diagnostics {
    pending: Vec<(String, String)>,
}

impl Diagnostics {
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.pending.push((pointer.into(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Ends a stage: `Ok` when nothing was reported, otherwise every diagnostic with its line
    /// looked up in `source` (one extra parse, paid only on the error path).
    pub fn finish(self, file: &Path, source: &str) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        Err(Error {
            diagnostics: self.locate(file, source),
        })
    }

    /// The reported problems with their lines looked up in `source`.
    pub fn locate(self, file: &Path, source: &str) -> Vec<Diagnostic> {
        let lines = LineIndex::build(source);
        self.pending
            .into_iter()
            .map(|(pointer, message)| Diagnostic {
                file: file.to_path_buf(),
                line: lines.as_ref().and_then(|index| index.line_of(&pointer)),
                pointer,
                message,
            })
            .collect()
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

/// Maps JSON pointers to source lines by replaying the YAML event stream (JSON is YAML too).
struct LineIndex {
    entries: Vec<(String, usize)>,
}

impl LineIndex {
    fn build(source: &str) -> Option<Self> {
        let mut builder = LineIndexBuilder::default();
        let mut parser = Parser::new_from_str(source);
        parser.load(&mut builder, false).ok()?;
        let mut entries = builder.entries;
        entries.sort();
        entries.dedup_by(|a, b| a.0 == b.0);
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
}
