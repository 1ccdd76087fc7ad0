//! Format: pending files become text. Rust goes through `syn` and `prettyplease`, which also
//! proves the emitted code parses; every file gets the preamble naming its command.
//!
//! Building and formatting the items of a large spec is most of the generator's time, so the
//! items of every [`ItemsFile`](crate::emit::ItemsFile) are cut into a fixed number of chunks,
//! and rayon's workers (one per core) each build a chunk's tokens, parse them (`syn::parse2`,
//! no text in between) and print them. The cut does not depend on the core count, so the
//! output is the same everywhere.

use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use crate::emit::{FileBody, PendingFile, Settings, preamble_text};

/// Chunks per file: enough to keep any likely number of cores busy, few enough that small
/// files stay one chunk in effect.
const CHUNKS: usize = 16;

/// A finished file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// Where the format stage's time went: the worker threads also build the items they format.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormatTimings {
    /// Wall time of the whole stage.
    pub wall: Duration,
    /// Thread time spent building items (the rest was parsing and printing).
    pub building: Duration,
    /// Thread time spent parsing and printing.
    pub printing: Duration,
}

/// A chunk of an [`ItemsFile`]'s items: what one worker builds and formats at a time.
struct Chunk<'f, 'a> {
    item: &'f (dyn Fn(usize) -> TokenStream + Sync + 'a),
    items: std::ops::Range<usize>,
}

/// A file on its way: finished text, or a printed head waiting for its chunks.
enum Partial {
    Done(String),
    Items {
        head: String,
        chunks: std::ops::Range<usize>,
    },
}

/// Formats every file; a Rust file that does not parse is a generator bug, reported with the
/// parser's message instead of a panic. The chunks of every [`ItemsFile`] share one pool of
/// workers, so no core waits for a file's last chunk.
pub fn format(
    files: Vec<PendingFile<'_>>,
    settings: &Settings,
) -> Result<(Vec<GeneratedFile>, FormatTimings), String> {
    let started = Instant::now();
    let rust_preamble = format!("// {}\n\n", preamble_text(settings));
    let mut timings = FormatTimings::default();
    let mut partials = Vec::with_capacity(files.len());
    let mut chunks: Vec<Chunk<'_, '_>> = Vec::new();
    let not_parsing =
        |path: &str, err: syn::Error| format!("generated {path} does not parse: {err}");
    for file in &files {
        let partial = match &file.body {
            FileBody::Rust(tokens) => {
                let printed = print(tokens.clone()).map_err(|err| not_parsing(&file.path, err))?;
                Partial::Done(format!("{rust_preamble}{}", space_items(&printed)))
            }
            FileBody::Items(items) => {
                let head_started = Instant::now();
                let head = print(items.head.clone()).map_err(|err| not_parsing(&file.path, err))?;
                timings.printing += head_started.elapsed();
                let per_chunk = items.count.div_ceil(CHUNKS).max(1);
                let first = chunks.len();
                for start in (0..items.count).step_by(per_chunk) {
                    chunks.push(Chunk {
                        item: items.item.as_ref(),
                        items: start..(start + per_chunk).min(items.count),
                    });
                }
                Partial::Items {
                    head,
                    chunks: first..chunks.len(),
                }
            }
            FileBody::RustText(text) => {
                let parsed: syn::File =
                    syn::parse_file(text).map_err(|err| not_parsing(&file.path, err))?;
                Partial::Done(format!(
                    "{rust_preamble}{}",
                    space_items(&prettyplease::unparse(&parsed))
                ))
            }
            FileBody::Toml(text) | FileBody::Markdown(text) | FileBody::Json(text) => {
                let mut text = text.trim_end().to_string();
                text.push('\n');
                Partial::Done(text)
            }
        };
        partials.push(partial);
    }
    let mut printed = print_chunks(&chunks, &mut timings).into_iter();
    let mut out = Vec::with_capacity(files.len());
    for (file, partial) in files.iter().zip(partials) {
        let contents = match partial {
            Partial::Done(text) => text,
            Partial::Items { mut head, chunks } => {
                for _ in chunks {
                    match printed.next() {
                        Some(Ok(text)) => head.push_str(&text),
                        Some(Err(err)) => return Err(not_parsing(&file.path, err)),
                        None => return Err(format!("{}: a chunk was not formatted", file.path)),
                    }
                }
                format!("{rust_preamble}{}", space_items(&head))
            }
        };
        out.push(GeneratedFile {
            path: file.path.clone(),
            contents,
        });
    }
    timings.wall = started.elapsed();
    Ok((out, timings))
}

fn print(tokens: TokenStream) -> Result<String, syn::Error> {
    syn::parse2::<syn::File>(tokens).map(|file| prettyplease::unparse(&file))
}

/// Builds and prints every chunk on rayon's pool (one thread per core); results in chunk
/// order.
fn print_chunks(
    chunks: &[Chunk<'_, '_>],
    timings: &mut FormatTimings,
) -> Vec<Result<String, syn::Error>> {
    use rayon::prelude::*;
    let printed: Vec<(Result<String, syn::Error>, Duration, Duration)> = chunks
        .par_iter()
        .map(|chunk| {
            let started = Instant::now();
            let tokens: TokenStream = chunk.items.clone().map(chunk.item).collect();
            let built = Instant::now();
            let printed = print(tokens);
            (printed, built - started, built.elapsed())
        })
        .collect();
    printed
        .into_iter()
        .map(|(printed, building, printing)| {
            timings.building += building;
            timings.printing += printing;
            printed
        })
        .collect()
}

/// prettyplease puts top-level items on consecutive lines; a blank line between them (and
/// after the module docs and imports) makes long generated files readable.
fn space_items(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    // A top-level attribute over several lines (`#![allow(\n...\n)]`, `#[derive(\n...\n)]`):
    // whether it is an inner one. Only an inner attribute is followed by a blank line; an
    // outer one belongs to the item below it.
    let mut open_attribute: Option<bool> = None;
    let mut previous_closed_inner = false;
    for line in source.lines() {
        let closes_inner_attribute = line == ")]" && open_attribute == Some(true);
        if line == ")]" {
            open_attribute = None;
        } else if line.starts_with("#![") && !line.ends_with(']') {
            open_attribute = Some(true);
        } else if line.starts_with("#[") && !line.ends_with(']') {
            open_attribute = Some(false);
        }
        if let Some(previous) = previous {
            let ends_item = previous == "}"
                || (previous.ends_with(';')
                    && !previous.starts_with(' ')
                    && !previous.starts_with("//"));
            let ends_module_docs = previous.starts_with("//!") && !line.starts_with("//!");
            let ends_inner_attr = previous_closed_inner && !line.starts_with("#!");
            // Imports stay together within a group (std, other crates, this crate) and are
            // set apart between groups.
            let consecutive_uses = previous.starts_with("use ")
                && line.starts_with("use ")
                && use_group(previous) == use_group(line);
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
            // Declarations in a trait (`    fn name(..) -> T;`), one level deep.
            let ends_inner_declaration = previous.starts_with("    ")
                && !previous.starts_with("     ")
                && previous.ends_with(';')
                && ["    ///", "    fn ", "    async fn ", "    #["]
                    .iter()
                    .any(|start| line.starts_with(start));
            if ends_inner_item || ends_inner_declaration {
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
        previous_closed_inner = closes_inner_attribute;
    }
    out
}

/// The group an import line belongs to: the standard library, other crates, or this crate.
fn use_group(line: &str) -> u8 {
    let path = line.trim_start_matches("use ").trim_start_matches("::");
    if ["std::", "core::", "alloc::"]
        .iter()
        .any(|root| path.starts_with(root))
    {
        0
    } else if ["crate::", "self::", "super::"]
        .iter()
        .any(|root| path.starts_with(root))
    {
        2
    } else {
        1
    }
}
