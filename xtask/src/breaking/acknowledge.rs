//! The acknowledgement file: breaking changes made on purpose, each with a reason. An
//! acknowledged change is still reported (marked with its reason) but no longer fails the
//! command; an entry that matches nothing is reported as a warning, so the file does not
//! silently accumulate stale entries.
//!
//! ```yaml
//! acknowledged:
//!   - rule: api-removed-without-deprecation
//!     spec: specs/zrok.yaml                   # optional: only in this spec
//!     operation: DELETE /share                # any change of this rule in the operation
//!     reason: retired in 2.0, announced to every client in March
//!   - rule: request-property-became-required
//!     location: POST /account/login request body application/json property /email
//!     reason: the server already rejected requests without it
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::report::Change;
use super::rules;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    acknowledged: Option<Vec<Entry>>,
}

/// One acknowledged change: its rule, where (a whole operation or one exact location), and why.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default)]
    pub reason: String,
}

impl Entry {
    fn matches(&self, change: &Change) -> bool {
        self.rule == change.rule.id
            && self.spec.as_ref().is_none_or(|spec| *spec == change.spec)
            && self
                .operation
                .as_ref()
                .is_none_or(|op| change.operation.as_ref() == Some(op))
            && self
                .location
                .as_ref()
                .is_none_or(|location| *location == change.location)
    }
}

#[derive(Default)]
pub struct Acknowledgements {
    entries: Vec<Entry>,
}

/// Reads and checks the file (`shown` is how messages name it): every entry needs a known rule, an operation or a location, and
/// a reason. All problems are reported together.
pub fn load(path: &Path, shown: &str) -> Result<Acknowledgements, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("{shown}: cannot read the file: {err}"))?;
    let file: Option<File> = serde_yaml::from_str(&text).map_err(|err| {
        let line = err
            .location()
            .map(|location| format!(":{}", location.line()))
            .unwrap_or_default();
        format!("{shown}{line}: {err}")
    })?;
    let entries = file.and_then(|file| file.acknowledged).unwrap_or_default();
    let mut problems = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("{shown}: acknowledged[{index}] ({})", entry.rule);
        if rules::find(&entry.rule).is_none() {
            problems.push(format!(
                "{at}: unknown rule (`cargo xtask breaking --rules` lists them)"
            ));
        }
        if entry.operation.is_none() && entry.location.is_none() {
            problems.push(format!(
                "{at}: give the `operation` or the `location` it applies to"
            ));
        }
        if entry.reason.trim().is_empty() {
            problems.push(format!("{at}: a `reason` is required"));
        }
    }
    if problems.is_empty() {
        Ok(Acknowledgements { entries })
    } else {
        Err(problems.join("\n"))
    }
}

impl Acknowledgements {
    /// Marks the changes an entry matches; returns the entries that matched none.
    pub fn apply(&self, changes: &mut [Change]) -> Vec<Entry> {
        let mut used = vec![false; self.entries.len()];
        for change in changes.iter_mut() {
            for (index, entry) in self.entries.iter().enumerate() {
                if entry.matches(change) {
                    used[index] = true;
                    change
                        .acknowledged
                        .get_or_insert_with(|| entry.reason.clone());
                }
            }
        }
        self.entries
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(entry, _)| entry.clone())
            .collect()
    }
}
