//! Format: pending files become text. Rust goes through `syn` and `prettyplease`, which also
//! proves the emitted code parses; every file gets the preamble naming its command.
//!
//! Parsing is the cost (about 4 µs a line; printing is a quarter of that), so a file's
//! top-level items are cut into a fixed number of chunks that are parsed and printed on all
//! cores. The cut does not depend on the core count, so the output is the same everywhere.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::emit::{FileBody, PendingFile, Settings, preamble_text};

/// Chunks per file: enough to keep any likely number of cores busy, few enough that small
/// files stay one chunk in effect (empty chunks are skipped).
const CHUNKS: usize = 16;

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
                    let chunks = chunk_items(tokens);
                    let printed = print_chunks(&chunks)
                        .map_err(|err| format!("generated {} does not parse: {err}", file.path))?;
                    format!("{rust_preamble}{}", space_items(&printed))
                }
                FileBody::RustText(text) => {
                    let parsed: syn::File = syn::parse_file(&text)
                        .map_err(|err| format!("generated {} does not parse: {err}", file.path))?;
                    format!(
                        "{rust_preamble}{}",
                        space_items(&prettyplease::unparse(&parsed))
                    )
                }
                FileBody::Toml(text) | FileBody::Markdown(text) | FileBody::Json(text) => {
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

/// Cuts a file's tokens at top-level item boundaries (after a `;`, or after a `{ ... }` body
/// not followed by `;`) into at most [`CHUNKS`] runs of whole items, as source text.
fn chunk_items(tokens: TokenStream) -> Vec<String> {
    let mut items: Vec<Vec<TokenTree>> = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends_item = match &tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        current.push(tree);
        if ends_item {
            items.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    let per_chunk = items.len().div_ceil(CHUNKS).max(1);
    items
        .chunks(per_chunk)
        .map(|chunk| {
            chunk
                .iter()
                .flatten()
                .cloned()
                .collect::<TokenStream>()
                .to_string()
        })
        .collect()
}

/// Parses and prints each chunk, on as many threads as there are cores, and joins the
/// results in chunk order.
fn print_chunks(chunks: &[String]) -> Result<String, syn::Error> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(chunks.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<String, syn::Error>>>> =
        Mutex::new((0..chunks.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(index) else {
                        break;
                    };
                    let printed = syn::parse_file(chunk).map(|file| prettyplease::unparse(&file));
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(printed);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let mut out = String::new();
    for result in results {
        match result {
            Some(Ok(text)) => out.push_str(&text),
            Some(Err(err)) => return Err(err),
            None => {
                return Err(syn::Error::new(
                    proc_macro2::Span::call_site(),
                    "a chunk was not formatted",
                ));
            }
        }
    }
    Ok(out)
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
