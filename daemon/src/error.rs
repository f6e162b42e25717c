//! Why a reconcile could not run at all (as opposed to refusing the files).

use host_harness::PluginError;
use host_harness::store::StoreError;

/// Why a reconcile could not run at all (as opposed to refusing a config).
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The plugin failed.
    #[error(transparent)]
    Plugin(#[from] PluginError),
}

impl ReconcileError {
    /// Whether another client held the store (SQLite busy or locked past the
    /// busy timeout): the same reconcile may well succeed when retried.
    pub fn is_busy(&self) -> bool {
        match self {
            ReconcileError::Store(e) => store_busy(e),
            ReconcileError::Plugin(_) => false,
        }
    }
}

/// Whether a store error says another client held the store.
pub fn store_busy(error: &StoreError) -> bool {
    matches!(error, StoreError::Sqlite(e) if matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    ))
}
