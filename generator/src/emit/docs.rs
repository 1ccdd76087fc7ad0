//! Spec prose to rustdoc: `#[doc]` attributes built from descriptions, with the few rewrites
//! that keep rustdoc from misreading them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Docs, Operation};

/// `#[doc = "..."]` attributes, one per line, or nothing when there is nothing to say.
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        // A leading space makes prettyplease print `/// text` rather than `///text`.
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// Text from the spec, trimmed, when there is any.
fn prose(text: &Option<String>) -> Option<&str> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// The doc lines for an item: title, description, then notes.
pub fn lines(docs: &Docs) -> Vec<String> {
    let mut out = Vec::new();
    let description = prose(&docs.description);
    if let Some(title) = prose(&docs.title)
        && description.is_none_or(|d| !d.starts_with(title))
    {
        push_prose(&mut out, title);
    }
    if let Some(description) = description {
        if !out.is_empty() {
            out.push(String::new());
        }
        push_prose(&mut out, description);
    }
    if docs.deprecated {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push("**Deprecated** in the spec.".into());
    }
    if !docs.notes.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        for note in &docs.notes {
            out.push(note.clone());
        }
    }
    out
}

/// Appends Markdown from the spec, normalised: CRLF and tabs, trailing blanks, and fenced
/// blocks that would otherwise be read as Rust.
pub fn push_prose(out: &mut Vec<String>, text: &str) {
    let mut in_fence = false;
    let start = out.len();
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.replace('\t', "    ");
        let line = line.trim_end();
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                out.push(line.to_string());
            } else {
                in_fence = true;
                let indent = &line[..line.len() - trimmed.len()];
                let info = info.trim();
                // The spec's code is the vendor's, not this crate's: a `rust` fence is shown
                // as Rust but never compiled as a doctest; anything else is text.
                let info = if info.starts_with("rust") {
                    "rust,ignore"
                } else {
                    "text"
                };
                out.push(format!("{indent}```{info}"));
            }
            continue;
        }
        out.push(line.to_string());
    }
    if in_fence {
        out.push("```".into());
    }
    // Drop blank lines at the edges of what was added.
    while out.len() > start && out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.len() > start && out[start].is_empty() {
        out.remove(start);
    }
}

/// The short doc lines for an operation's trait and client methods: its summary (else the
/// first sentence of its description), method and path, and a link to its module, where the
/// whole description is said once.
pub fn operation_summary(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    let summary = prose(&operation.summary)
        .map(str::to_string)
        .or_else(|| operation.description.as_deref().and_then(first_sentence));
    if let Some(summary) = summary {
        push_prose(&mut lines, &summary);
        lines.push(String::new());
    }
    let module = operation.rust_name.trim_start_matches("r#");
    lines.push(format!(
        "`{} {}`: see [`crate::operations::{module}`].",
        operation.method.as_str(),
        operation.path.as_str(),
    ));
    if operation.deprecated {
        lines.push(String::new());
        lines.push("**Deprecated** in the spec.".into());
    }
    lines
}

/// The first sentence of prose (up to the first `. ` or line break), when there is one.
fn first_sentence(text: &str) -> Option<String> {
    let text = text.trim();
    let first_line = text.lines().next()?.trim();
    let sentence = match first_line.find(". ") {
        Some(end) => &first_line[..=end],
        None => first_line,
    };
    let sentence = sentence.trim();
    // Markup (a heading, a list, a table, a fence) does not read as a summary.
    (!sentence.is_empty() && !sentence.starts_with(['#', '|', '-', '*', '`', '<']))
        .then(|| sentence.to_string())
}

/// The doc lines for an operation: summary, description, method and path.
pub fn operation_docs(operation: &Operation) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(summary) = prose(&operation.summary) {
        push_prose(&mut lines, summary);
    }
    if let Some(description) = prose(&operation.description) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        push_prose(&mut lines, description);
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        "`{} {}` (operationId `{}`).",
        operation.method.as_str(),
        operation.path.as_str(),
        operation.id
    ));
    if operation.deprecated {
        lines.push(String::new());
        lines.push("**Deprecated** in the spec.".into());
    }
    lines
}
