//! `cargo xtask breaking`: classifies the changes between two versions of a spec as breaking,
//! possibly breaking or non-breaking, with oasdiff's rule ids, and fails on a breaking change
//! nobody acknowledged.
//!
//! `--base <git-ref>` compares every spec of `specs/` at that revision with the working tree
//! (a spec added since is all `endpoint-added`, a spec removed all removals); `--old FILE
//! --new FILE` compares any two documents. Exit status: 0 without unacknowledged breaking
//! changes, 1 with, 2 when the input cannot be read (with the located error).
//!
//! - `openapi.rs`: the typed view of a loaded document the walks read.
//! - `rules.rs`: the rule table (id, level, oasdiff's level, description).
//! - `diff.rs`: the document walk (paths, operations, parameters, bodies, responses, security).
//! - `schema.rs`: the schema walk, following `$ref`s, direction-aware.
//! - `acknowledge.rs`: the acknowledgement file.
//! - `report.rs`: sorting, text and JSON.

mod acknowledge;
mod diff;
mod openapi;
mod report;
mod rules;
mod schema;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use contractgen::Source;
use contractgen::diagnostics::Diagnostics;
use contractgen::document::Dialect;
use openapiv3::OpenAPI;

use crate::codegen::{file_name, spec_paths, workspace_root};
use report::{Change, Report};

/// The acknowledgement file `--base` reads by default. Not `specs/*.yaml`: every such file
/// is a spec to the generator and to CI's validator.
const ACKNOWLEDGED: &str = "specs/breaking/acknowledged.yaml";

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["base", "old", "rules"])))]
pub struct Args {
    /// Compare every spec of specs/ at this git revision with the working tree.
    #[arg(long, value_name = "GIT-REF")]
    base: Option<String>,
    /// The earlier version of one document (YAML or JSON); needs --new.
    #[arg(long, value_name = "FILE", requires = "new")]
    old: Option<PathBuf>,
    /// The later version of the document given by --old.
    #[arg(long, value_name = "FILE", requires = "old")]
    new: Option<PathBuf>,
    /// Acknowledged breaking changes (default with --base: specs/breaking/acknowledged.yaml).
    #[arg(long, value_name = "FILE")]
    acknowledged: Option<PathBuf>,
    /// `text` for people, `json` for machines.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// List the rules (id, level, oasdiff's level, description) and exit.
    #[arg(long)]
    rules: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: &Args) -> ExitCode {
    match execute(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{}", message.trim_end());
            ExitCode::from(2)
        }
    }
}

/// One spec in two versions; a missing version is an empty document.
struct Pair {
    label: String,
    old: Option<Source>,
    new: Option<Source>,
}

fn execute(args: &Args) -> Result<ExitCode, String> {
    if args.rules {
        print!("{}", list_rules(args.format));
        return Ok(ExitCode::SUCCESS);
    }
    let root = workspace_root();
    let (pairs, default_acknowledged) = match (&args.base, &args.old, &args.new) {
        (Some(base), _, _) => (base_pairs(&root, base)?, Some(root.join(ACKNOWLEDGED))),
        (None, Some(old), Some(new)) => {
            let read = |path: &Path| Source::read(path).map_err(|err| err.to_string());
            let pair = Pair {
                label: new.display().to_string(),
                old: Some(read(old)?),
                new: Some(read(new)?),
            };
            (vec![pair], None)
        }
        _ => return Err("give --base <git-ref>, or --old FILE --new FILE".into()),
    };
    // The file as messages name it: relative to the workspace when it is the default one.
    let acknowledged = args
        .acknowledged
        .clone()
        .or_else(|| default_acknowledged.filter(|path| path.exists()))
        .map(|path| {
            let shown = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            (path, shown)
        });
    let acknowledgements = match &acknowledged {
        Some((path, shown)) => acknowledge::load(path, shown)?,
        None => acknowledge::Acknowledgements::default(),
    };

    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for pair in &pairs {
        let (old, new) = match (load(pair.old.as_ref()), load(pair.new.as_ref())) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                errors.extend(old.err());
                errors.extend(new.err());
                continue;
            }
        };
        changes.extend(diff::diff(&old, &new).into_iter().map(|finding| Change {
            rule: finding.rule,
            spec: pair.label.clone(),
            operation: finding.operation,
            location: finding.location,
            message: finding.message,
            acknowledged: None,
        }));
    }
    if !errors.is_empty() {
        return Err(errors.concat());
    }

    let unused = acknowledgements.apply(&mut changes);
    let report = Report::new(changes, unused);
    match args.format {
        Format::Text => print!("{}", report.text()),
        Format::Json => print!("{}", report.json()),
    }
    if let Some((_, shown)) = &acknowledged {
        for entry in &report.unused {
            let place = entry.location.as_ref().or(entry.operation.as_ref());
            eprintln!(
                "warning: {shown}: the acknowledgement of `{}` at {} matches no change; remove it",
                entry.rule,
                place.map_or("?", String::as_str)
            );
        }
    }
    let blocking = report.unacknowledged_breaking();
    if blocking == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    let file = match (&acknowledged, &args.base) {
        (Some((_, shown)), _) => shown.clone(),
        (None, Some(_)) => ACKNOWLEDGED.to_string(),
        (None, None) => "a file given with --acknowledged".to_string(),
    };
    eprintln!(
        "{blocking} breaking change{} not acknowledged: make the change compatible, or add it with a reason to {file}",
        if blocking == 1 { "" } else { "s" },
    );
    Ok(ExitCode::FAILURE)
}

/// Loads and validates one version; dangling references and the like are refused with their
/// location, as `generate` would refuse them.
fn load(source: Option<&Source>) -> Result<OpenAPI, String> {
    let Some(source) = source else {
        return Ok(OpenAPI::default());
    };
    let mut diagnostics = Diagnostics::default();
    let document =
        contractgen::load::load(source, &mut diagnostics).map_err(|err| err.to_string())?;
    contractgen::resolve::validate(&document, &mut diagnostics);
    diagnostics
        .checkpoint(&document.sources)
        .map_err(|err| err.to_string())?;
    if document.dialect != Dialect::OpenApi30 {
        return Err(format!(
            "{}: `breaking` compares OpenAPI 3.0 documents (and Swagger 2.0, converted); this one is OpenAPI {}",
            source.path.display(),
            document.dialect.label()
        ));
    }
    // Compare what was written: ids the repairs made up are not the document's.
    let mut root = document.root;
    for pointer in &document.derived_operation_ids {
        if let Some(serde_json::Value::Object(operation)) = root.pointer_mut(pointer) {
            operation.remove("operationId");
        }
    }
    serde_json::from_value(root).map_err(|err| {
        format!(
            "{}: the document does not read as OpenAPI 3.0: {err}",
            source.path.display()
        )
    })
}

/// Every spec of `specs/` at `base` and in the working tree, by file name.
fn base_pairs(root: &Path, base: &str) -> Result<Vec<Pair>, String> {
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("--base: `{base}` is not a commit in this repository"))?;
    let listing = git(root, &["ls-tree", "--name-only", base, "specs/"])?;
    let is_spec = |name: &str| {
        [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
    };
    let mut names: Vec<String> = listing
        .lines()
        .filter_map(|line| line.strip_prefix("specs/"))
        .filter(|name| is_spec(name))
        .map(str::to_string)
        .collect();
    let current = spec_paths(&root.join("specs"))?;
    names.extend(current.iter().map(|path| file_name(path)));
    names.sort();
    names.dedup();
    let mut pairs = Vec::new();
    for name in names {
        let label = format!("specs/{name}");
        let old = match git(root, &["cat-file", "blob", &format!("{base}:{label}")]) {
            Ok(text) => Some(Source::new(format!("{base}:{label}"), text)),
            Err(_) => None,
        };
        let path = root.join(&label);
        let new = if current.contains(&path) {
            Some(Source::read(&path).map_err(|err| err.to_string())?)
        } else {
            None
        };
        pairs.push(Pair { label, old, new });
    }
    Ok(pairs)
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|err| format!("cannot run git: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("git {}: output is not UTF-8", args.join(" ")))
}

fn list_rules(format: Format) -> String {
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(rules::RULES).unwrap_or_default();
            json.push('\n');
            json
        }
        Format::Text => {
            let width = rules::RULES
                .iter()
                .map(|rule| rule.id.len())
                .max()
                .unwrap_or(0);
            let mut out = String::new();
            for rule in rules::RULES {
                let oasdiff = match rule.oasdiff {
                    None => " (not in oasdiff)".to_string(),
                    Some(level) if level != rule.level => format!(" (oasdiff: {})", level.label()),
                    Some(_) => String::new(),
                };
                out.push_str(&format!(
                    "{:width$}  {:17}  {}{oasdiff}\n",
                    rule.id,
                    rule.level.label(),
                    rule.description
                ));
            }
            out
        }
    }
}
