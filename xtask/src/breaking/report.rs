//! The report: changes of every spec, sorted, grouped by level, as text for people or JSON
//! for machines. Output depends only on the inputs (sorted, no timestamps).

use serde::Serialize;

use super::acknowledge::Entry;
use super::rules::{Level, Rule};

/// One change, tied to its spec file and (maybe) acknowledged.
pub struct Change {
    pub rule: &'static Rule,
    /// `specs/zrok.yaml` with `--base`, the `--new` file otherwise.
    pub spec: String,
    pub operation: Option<String>,
    pub location: String,
    pub message: String,
    /// The reason given in the acknowledgement file, when an entry matches.
    pub acknowledged: Option<String>,
}

pub struct Report {
    pub changes: Vec<Change>,
    pub unused: Vec<Entry>,
}

#[derive(Serialize)]
struct Summary {
    breaking: usize,
    acknowledged: usize,
    possibly_breaking: usize,
    non_breaking: usize,
}

#[derive(Serialize)]
struct JsonChange<'r> {
    level: Level,
    rule: &'static str,
    spec: &'r str,
    operation: Option<&'r str>,
    location: &'r str,
    message: &'r str,
    acknowledged: Option<&'r str>,
}

#[derive(Serialize)]
struct JsonReport<'r> {
    summary: Summary,
    changes: Vec<JsonChange<'r>>,
    unused_acknowledgements: &'r [Entry],
}

impl Report {
    pub fn new(mut changes: Vec<Change>, unused: Vec<Entry>) -> Self {
        changes.sort_by(|a, b| {
            (a.rule.level, &a.spec, &a.location, a.rule.id, &a.message).cmp(&(
                b.rule.level,
                &b.spec,
                &b.location,
                b.rule.id,
                &b.message,
            ))
        });
        // A document may list the same thing twice (a parameter, say): one change, once.
        changes.dedup_by(|a, b| {
            (a.rule.id, &a.spec, &a.location, &a.message)
                == (b.rule.id, &b.spec, &b.location, &b.message)
        });
        Self { changes, unused }
    }

    fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|c| c.rule.level == level)
            .count()
    }

    fn summary(&self) -> Summary {
        Summary {
            breaking: self.count(Level::Breaking),
            acknowledged: self
                .changes
                .iter()
                .filter(|c| c.rule.level == Level::Breaking && c.acknowledged.is_some())
                .count(),
            possibly_breaking: self.count(Level::PossiblyBreaking),
            non_breaking: self.count(Level::NonBreaking),
        }
    }

    /// Breaking changes nobody acknowledged: what makes the command fail.
    pub fn unacknowledged_breaking(&self) -> usize {
        let summary = self.summary();
        summary.breaking - summary.acknowledged
    }

    pub fn text(&self) -> String {
        if self.changes.is_empty() {
            return "no changes\n".to_string();
        }
        let mut out = String::new();
        for level in [Level::Breaking, Level::PossiblyBreaking, Level::NonBreaking] {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.rule.level == level)
                .collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("{} changes ({}):\n", level.label(), changes.len()));
            for change in changes {
                out.push_str(&format!("  {}: {}\n", change.spec, change.location));
                out.push_str(&format!("    {}: {}\n", change.rule.id, change.message));
                if let Some(reason) = &change.acknowledged {
                    out.push_str(&format!("    acknowledged: {reason}\n"));
                }
            }
            out.push('\n');
        }
        let summary = self.summary();
        out.push_str(&format!(
            "{} breaking ({} acknowledged), {} possibly breaking, {} non-breaking\n",
            summary.breaking, summary.acknowledged, summary.possibly_breaking, summary.non_breaking
        ));
        out
    }

    pub fn json(&self) -> String {
        let report = JsonReport {
            summary: self.summary(),
            changes: self
                .changes
                .iter()
                .map(|change| JsonChange {
                    level: change.rule.level,
                    rule: change.rule.id,
                    spec: &change.spec,
                    operation: change.operation.as_deref(),
                    location: &change.location,
                    message: &change.message,
                    acknowledged: change.acknowledged.as_deref(),
                })
                .collect(),
            unused_acknowledgements: &self.unused,
        };
        // Serialising plain strings and numbers cannot fail.
        let mut json = serde_json::to_string_pretty(&report).unwrap_or_default();
        json.push('\n');
        json
    }
}
