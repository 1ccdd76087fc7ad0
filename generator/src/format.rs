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
/// parser's message instead of a panic.
pub fn format(files: Vec<PendingFile>, settings: &Settings) -> Result<Vec<GeneratedFile>, String> {
    let rust_preamble = format!("// {}\n\n", preamble_text(settings));
    files
        .into_iter()
        .map(|file| {
            let contents = match file.body {
                FileBody::Rust(tokens) => {
                    let parsed: syn::File = syn::parse2(tokens)
                        .map_err(|err| format!("generated {} does not parse: {err}", file.path))?;
                    format!(
                        "{rust_preamble}{}",
                        space_items(&prettyplease::unparse(&parsed))
                    )
                }
                FileBody::RustText(text) => {
                    let parsed: syn::File = syn::parse_file(&text)
                        .map_err(|err| format!("generated {} does not parse: {err}", file.path))?;
                    format!(
                        "{rust_preamble}{}",
                        space_items(&prettyplease::unparse(&parsed))
                    )
                }
                FileBody::Toml(text) | FileBody::Markdown(text) => {
                    let mut text = text.trim_end().to_string();
                    text.push('\n');
                    text
                }
            };
            Ok(GeneratedFile {
                path: file.path,
                contents,
            })
        })
        .collect()
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
