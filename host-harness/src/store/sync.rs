//! What the host reads of the sync daemon's records (`sync_ledger`,
//! `sync_runs`, whose schema is the host's: migrations 002 and 011): which
//! file owns a group, which owned groups drifted, and the last runs. The
//! daemon writes them (`daemon/src/ledger.rs`) and reads its status here;
//! they are here so that the console (which cannot import the daemon)
//! marks the groups the daemon owns and shows its status (`GET /sync`).

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::{Db, StoreError};

/// The daemon's ownership of a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncOwner {
    /// The file that declared it when last applied.
    pub file: String,
    /// The group's version the daemon wrote (or adopted).
    pub applied_version: i64,
    /// Whether no file declares it any more (it was deactivated or kept).
    pub removed: bool,
}

/// The ledger's counts and the last runs.
pub struct SyncStatus {
    /// Groups the files own.
    pub owned: i64,
    /// Groups no file declares any more, deactivated or kept.
    pub removed: i64,
    /// The last runs, newest first, as JSON (`started_at`, `finished_at`,
    /// `outcome`, the counts, `errors`, `warnings`).
    pub runs: Vec<serde_json::Value>,
}

const OWNER: &str = "SELECT source_file, applied_version, removed FROM sync_ledger WHERE code = ?1";

fn owner_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SyncOwner> {
    Ok(SyncOwner {
        file: row.get(0)?,
        applied_version: row.get(1)?,
        removed: row.get(2)?,
    })
}

impl Db {
    /// The daemon's ownership of group `code`, if it owns or owned it.
    pub fn sync_owner(&self, code: &str) -> Result<Option<SyncOwner>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(OWNER)?;
        Ok(stmt.query_row([code], owner_from_row).optional()?)
    }

    /// The daemon's ownership of each of `codes` it owns or owned (a page
    /// of a list), by code.
    pub fn sync_owners<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, SyncOwner>, StoreError> {
        // One statement for the page (a JSON array of its codes), not one
        // per code: each statement alone is a read transaction of its own.
        let codes: Vec<&str> = codes.into_iter().collect();
        let codes = serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into());
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT code, source_file, applied_version, removed FROM sync_ledger \
             WHERE code IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = stmt.query_map([codes], |row| {
            Ok((
                row.get::<_, String>(0)?,
                SyncOwner {
                    file: row.get(1)?,
                    applied_version: row.get(2)?,
                    removed: row.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Owned groups edited or deleted in the host since the daemon applied
    /// them, by code.
    pub fn drifted_codes(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT l.code FROM sync_ledger l LEFT JOIN customer_groups g ON g.code = l.code \
             WHERE l.removed = 0 AND (g.code IS NULL OR g.version <> l.applied_version) \
             ORDER BY l.code",
        )?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ledger's counts and the last `runs` runs.
    pub fn sync_status(&self, runs: usize) -> Result<SyncStatus, StoreError> {
        let conn = self.conn();
        let (owned, removed): (i64, i64) = conn.query_row(
            "SELECT count(*) FILTER (WHERE removed = 0), count(*) FILTER (WHERE removed = 1) \
             FROM sync_ledger",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = conn.prepare(
            "SELECT started_at, finished_at, outcome, created, updated, deactivated, deleted, \
             unchanged, drifted, report FROM sync_runs ORDER BY id DESC LIMIT ?1",
        )?;
        let limit = i64::try_from(runs).unwrap_or(i64::MAX);
        let runs: Vec<serde_json::Value> = stmt
            .query_map([limit], |r| {
                let report: String = r.get(9)?;
                let report: serde_json::Value = serde_json::from_str(&report).unwrap_or_default();
                Ok(serde_json::json!({
                    "started_at": r.get::<_, String>(0)?,
                    "finished_at": r.get::<_, String>(1)?,
                    "outcome": r.get::<_, String>(2)?,
                    "created": r.get::<_, i64>(3)?,
                    "updated": r.get::<_, i64>(4)?,
                    "deactivated": r.get::<_, i64>(5)?,
                    "deleted": r.get::<_, i64>(6)?,
                    "unchanged": r.get::<_, i64>(7)?,
                    "drifted": r.get::<_, i64>(8)?,
                    "errors": report["errors"],
                    "warnings": report["warnings"],
                    "drift_mode": report["drift_mode"],
                }))
            })?
            .collect::<Result<_, _>>()?;
        Ok(SyncStatus {
            owned,
            removed,
            runs,
        })
    }
}
