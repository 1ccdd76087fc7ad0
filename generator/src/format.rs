//! Format: pending files become text. Rust goes through `syn` and `prettyplease`, which also
//! proves the emitted code parses; every file gets the preamble naming its command.

use crate::emit::{FileBody, PendingFile, Settings, preamble_text};

/// A finished file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// Formats every file; a Rust file that does not parse is a generator bug, reported with the
/// parser's message instead of a panic. Token streams cannot cross threads, so each becomes
/// text here, and the files are then parsed and printed in parallel, one thread each (the
/// output does not depend on the order they finish in).
pub fn format(files: Vec<PendingFile>, settings: &Settings) -> Result<Vec<GeneratedFile>, String> {
    let rust_preamble = format!("// {}\n\n", preamble_text(settings));
    let texts: Vec<(String, FileText)> = files
        .into_iter()
        .map(|file| {
            let text = match file.body {
                FileBody::Rust(tokens) => FileText::Rust(tokens.to_string()),
                FileBody::RustText(text) => FileText::Rust(text),
                FileBody::Toml(text) | FileBody::Markdown(text) => FileText::Plain(text),
            };
            (file.path, text)
        })
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .into_iter()
            .map(|(path, text)| {
                let preamble = &rust_preamble;
                scope.spawn(move || {
                    let contents = match text {
                        FileText::Rust(source) => {
                            let parsed: syn::File = syn::parse_file(&source)
                                .map_err(|err| format!("generated {path} does not parse: {err}"))?;
                            format!("{preamble}{}", space_items(&prettyplease::unparse(&parsed)))
                        }
                        FileText::Plain(text) => {
                            let mut text = text.trim_end().to_string();
                            text.push('\n');
                            text
                        }
                    };
                    Ok(GeneratedFile { path, contents })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err("formatting a file panicked".to_string()))
            })
            .collect()
    })
}

enum FileText {
    Rust(String),
    Plain(String),
}

/// prettyplease puts top-level items on consecutive lines; a blank line between them (and
/// after the module docs and imports) makes long generated files readable.
fn space_items(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if let Some(previous) = previous {
            let ends_item = previous == "}"
                || (previous.ends_with(';')
                    && !previous.starts_with(' ')
                    && !previous.starts_with("//"));
            let ends_module_docs = previous.starts_with("//!") && !line.starts_with("//!");
            let ends_inner_attr = previous == ")]" && !line.starts_with("#!");
            let consecutive_uses = previous.starts_with("use ") && line.starts_with("use ");
            // Items inside an `impl`, trait or inline module, one level deep.
            let ends_inner_item = previous == "    }"
                && [
                    "    ///",
                    "    pub ",
                    "    fn ",
                    "    async fn ",
                    "    #[",
                    "    impl",
                ]
                .iter()
                .any(|start| line.starts_with(start));
            if ends_inner_item {
                out.push('\n');
            }
            if (ends_item || ends_module_docs || ends_inner_attr)
                && !consecutive_uses
                && !line.is_empty()
                && !line.starts_with(' ')
                && line != "}"
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}
