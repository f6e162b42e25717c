//! What a reconcile plans and does: its steps, the drift it found, its
//! warnings and errors, and the outcome.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::companies::Companies;
use crate::diag::Diagnostic;
use crate::packed::PackedGroup;

/// One step of a plan.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Step {
    /// Create a group the files declare.
    Create {
        /// The group, as the plugin normalised it.
        group: PackedGroup,
        /// The file declaring it.
        file: Arc<str>,
        /// What it sets per company.
        #[serde(skip_serializing_if = "Companies::is_empty")]
        companies: Companies,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: [u8; 32],
    },
    /// Update a group to the files' values.
    Update {
        /// The new values.
        group: PackedGroup,
        /// The version it replaces.
        version: i64,
        /// The file declaring it.
        file: Arc<str>,
        /// Why: `changed`, `adopted` or `restored` (drift).
        reason: &'static str,
        /// What it sets per company, when that changes (the files say
        /// exactly what a group they declare sets per company: a company
        /// they leave out sets nothing); none when it stays as the host's
        /// group has it.
        #[serde(skip_serializing_if = "Option::is_none")]
        companies: Option<Companies>,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: [u8; 32],
    },
    /// Take over a group the host has, already as declared (`adopt = true`):
    /// only ownership is recorded.
    Adopt {
        /// The group.
        group: PackedGroup,
        /// Its version.
        version: i64,
        /// The file declaring it.
        file: Arc<str>,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: [u8; 32],
    },
    /// Deactivate a group no file declares any more.
    Deactivate {
        /// The group, inactive.
        group: PackedGroup,
        /// The version it replaces.
        version: i64,
    },
    /// Stop managing a group no file declares any more that cannot be
    /// deactivated: only the ownership record goes.
    Release {
        /// The group.
        code: String,
    },
    /// Delete a group no file declares any more (with `prune`).
    Delete {
        /// The group.
        code: String,
        /// The version deleted.
        version: i64,
    },
}

impl Step {
    /// Whether the step removes a group from what the files manage.
    pub fn is_removal(&self) -> bool {
        matches!(
            self,
            Step::Deactivate { .. } | Step::Delete { .. } | Step::Release { .. }
        )
    }

    /// The group the step touches.
    pub fn code(&self) -> &str {
        match self {
            Step::Create { group, .. }
            | Step::Update { group, .. }
            | Step::Adopt { group, .. }
            | Step::Deactivate { group, .. } => group.code(),
            Step::Delete { code, .. } | Step::Release { code } => code,
        }
    }
}

/// A group edited in the host since the daemon applied it.
#[derive(Clone, Debug, Serialize)]
pub struct Drift {
    /// The group.
    pub code: String,
    /// The file declaring it.
    pub file: String,
    /// What happened.
    pub detail: String,
}

/// What a reconcile found, planned or did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// `unchanged`, `applied`, `planned` (dry run with changes) or `refused`.
    pub outcome: &'static str,
    /// The steps, in the order applied.
    pub steps: Vec<Step>,
    /// Declared groups already as declared.
    pub unchanged: usize,
    /// Drift found.
    pub drift: Vec<Drift>,
    /// What the run does about drift: `report` or `restore` (recorded so
    /// that the console can say what an edit of an owned group leads to).
    pub drift_mode: &'static str,
    /// Warnings (the plugin's, and fallbacks).
    pub warnings: Vec<String>,
    /// Errors: nothing was applied.
    pub errors: Vec<Diagnostic>,
    /// Digest of the directory's files.
    pub digest: String,
    /// Groups no file declares any more whose removal waits until the files
    /// have read the same for [`SETTLE`] (see [`reconcile_settled`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<String>,
}

impl Report {
    fn count(&self, action: fn(&Step) -> bool) -> usize {
        self.steps.iter().filter(|s| action(s)).count()
    }

    /// Groups created.
    pub fn created(&self) -> usize {
        self.count(|s| matches!(s, Step::Create { .. }))
    }
    /// Groups updated.
    pub fn updated(&self) -> usize {
        self.count(|s| matches!(s, Step::Update { .. }))
    }
    /// Groups taken over as they are (ownership only).
    pub fn adopted(&self) -> usize {
        self.count(|s| matches!(s, Step::Adopt { .. }))
    }
    /// Groups deactivated.
    pub fn deactivated(&self) -> usize {
        self.count(|s| matches!(s, Step::Deactivate { .. }))
    }
    /// Groups deleted.
    pub fn deleted(&self) -> usize {
        self.count(|s| matches!(s, Step::Delete { .. }))
    }
}

/// The files were refused: nothing is applied. `report` keeps what it
/// found (the digest); `errors` are sorted, each file's in line order
/// (the plugin's come parents first), the files in the order their first
/// error came.
pub fn refused(mut report: Report, mut errors: Vec<Diagnostic>) -> Report {
    report.outcome = "refused";
    let mut rank: HashMap<PathBuf, usize> = HashMap::new();
    for e in &errors {
        let next = rank.len();
        rank.entry(e.file.clone()).or_insert(next);
    }
    errors.sort_by_key(|e| (rank[&e.file], e.line, e.column));
    report.errors = errors;
    report.steps.clear();
    report
}
