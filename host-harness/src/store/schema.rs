//! The schema: the migrations in order (`PRAGMA user_version` counts those
//! applied), with the steps SQL alone cannot take, and the runner that
//! brings a store up to date on open.

use rusqlite::{Connection, TransactionBehavior};

use super::{StoreError, field_names, postings};

/// A migration step that SQL alone cannot take, run right after its script.
type MigrationStep = fn(&rusqlite::Transaction<'_>) -> Result<(), StoreError>;

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
pub(super) const MIGRATIONS: &[(&str, Option<MigrationStep>)] = &[
    (include_str!("migrations/001_initial.sql"), None),
    (include_str!("migrations/002_sync.sql"), None),
    (include_str!("migrations/003_gl.sql"), None),
    (include_str!("migrations/004_plugin_limits.sql"), None),
    (
        include_str!("migrations/005_batch_members.sql"),
        Some(postings::convert_postings_v5),
    ),
    (
        include_str!("migrations/006_posted_batches_final.sql"),
        None,
    ),
    (include_str!("migrations/007_transaction_effects.sql"), None),
    (
        include_str!("migrations/008_transaction_identity.sql"),
        None,
    ),
    (
        include_str!("migrations/009_field_names.sql"),
        Some(field_names::convert_to_field_names),
    ),
    (include_str!("migrations/010_group_lookup_order.sql"), None),
    (include_str!("migrations/011_sync_ledger_by_code.sql"), None),
    (include_str!("migrations/012_rate_as_entered.sql"), None),
    (include_str!("migrations/013_users.sql"), None),
    (include_str!("migrations/014_history.sql"), None),
    (include_str!("migrations/015_credit_control.sql"), None),
    (include_str!("migrations/016_customer_owed.sql"), None),
    (include_str!("migrations/017_field_rights.sql"), None),
    (
        include_str!("migrations/018_transactions_by_group.sql"),
        None,
    ),
    (include_str!("migrations/019_companies.sql"), None),
];

/// The schema version a store is migrated to (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Up to date (the usual case): no write lock, so opening never waits for
    // another connection's transaction (nor fails on a read-only file).
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == MIGRATIONS.len() as i64 {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::TooNew {
            found: version,
            known,
        });
    }
    for (sql, step) in &MIGRATIONS[version as usize..] {
        tx.execute_batch(sql)?;
        if let Some(step) = step {
            step(&tx)?;
        }
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
}
