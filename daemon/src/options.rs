//! How a reconcile is asked to behave: the command line's sync options.

use std::path::PathBuf;

use serde::Serialize;

/// What to do with a group edited in the host after the daemon applied it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum DriftMode {
    /// Report it and leave the host's edit alone.
    #[default]
    Report,
    /// Put the file's values back.
    Restore,
}

impl DriftMode {
    /// The mode as `--drift` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftMode::Report => "report",
            DriftMode::Restore => "restore",
        }
    }
}

/// How a reconcile behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The configuration directory.
    pub dir: PathBuf,
    /// What to do about drift.
    pub drift: DriftMode,
    /// Delete (where the rules allow) instead of deactivating groups removed
    /// from the files.
    pub prune: bool,
    /// The largest share of owned groups, in percent, one reconcile may
    /// deactivate or delete without `force`.
    pub max_removal_percent: u32,
    /// Apply even past the removal guard.
    pub force: bool,
    /// Locale of the plugin's messages.
    pub locale: String,
    /// The user stamped in audit fields.
    pub user: String,
}
