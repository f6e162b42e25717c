//! The daemon's own records in the host's store: the sync ledger (which
//! groups the files own, the digest of each declaration as written, the
//! version applied) and the run log. Every write to `sync_ledger` and
//! `sync_runs` is here; what the host reads of them (ownership, drift, the
//! status), the daemon reads there too (`host_harness::store::sync`).
//! (Their schema is the host's, migrations 002 and 011: the host migrates
//! the store before anyone uses it.)

use std::collections::HashMap;
use std::sync::Arc;

use host_harness::Admin;
use host_harness::store::digest::{self, Recorded};
use host_harness::store::{StoreError, Writer};
use rusqlite::{OptionalExtension, params};

use crate::report::Report;

/// What the daemon last wrote for a group.
pub struct Owned {
    /// The file that declared it (shared by the file's groups).
    pub file: Arc<str>,
    /// Digest of the declaration as written when last applied (none once
    /// removed): format 2, or a format-1 digest migration 009 kept.
    pub digest: Option<Recorded>,
    /// The group's version the daemon wrote (or adopted).
    pub applied_version: i64,
    /// Whether no file declares it any more (it was deactivated or kept).
    pub removed: bool,
}

/// Records that the daemon owns `code` as written in `file`, in the
/// transaction of `w`, applied at its time.
pub fn own(
    w: &Writer<'_>,
    code: &str,
    version: i64,
    file: &str,
    digest: &[u8; 32],
) -> Result<(), StoreError> {
    w.tx()
        .prepare_cached(
        "INSERT INTO sync_ledger (code, source_file, content_hash, applied_version, applied_at, removed) \
         VALUES (?1, ?2, ?3, ?4, ?5, 0) \
         ON CONFLICT (code) DO UPDATE SET source_file = excluded.source_file, \
         content_hash = excluded.content_hash, applied_version = excluded.applied_version, \
         applied_at = excluded.applied_at, removed = 0",
    )?
    .execute(params![code, file, digest::Hex::of(digest), version, w.now()?])?;
    Ok(())
}

/// Records that no file declares `code` any more: it was deactivated, at
/// `version`, by the run that started at `started`.
pub fn mark_removed(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    version: i64,
    started: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE sync_ledger SET removed = 1, applied_version = ?2, \
         content_hash = '', applied_at = ?3 WHERE code = ?1",
    )?
    .execute(params![code, version, started])?;
    Ok(())
}

/// Stops owning `code` (deleted, or released as it is).
pub fn release(tx: &rusqlite::Transaction<'_>, code: &str) -> Result<(), StoreError> {
    tx.execute("DELETE FROM sync_ledger WHERE code = ?1", [code])?;
    Ok(())
}

/// Every group the daemon owns or owned, by code: read once per reconcile
/// and never changed, so held as one sorted vector (at 100,000 groups,
/// half the memory of a map).
pub struct Ledger {
    by_code: Vec<(Box<str>, Owned)>,
}

impl Ledger {
    /// What the daemon last wrote for `code`.
    pub fn get(&self, code: &str) -> Option<&Owned> {
        self.by_code
            .binary_search_by(|(owned, _)| (**owned).cmp(code))
            .ok()
            .map(|at| &self.by_code[at].1)
    }

    /// Whether the daemon owns or owned `code`.
    pub fn contains_key(&self, code: &str) -> bool {
        self.get(code).is_some()
    }

    /// Every record, by code.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Owned)> {
        self.by_code.iter().map(|(code, owned)| (&**code, owned))
    }

    /// Every record.
    pub fn values(&self) -> impl Iterator<Item = &Owned> {
        self.by_code.iter().map(|(_, owned)| owned)
    }
}

/// Every group the daemon owns or owned, by code.
pub fn load(admin: &Admin) -> Result<Ledger, StoreError> {
    let conn = admin.db().conn();
    let rows: i64 = conn.query_row("SELECT count(*) FROM sync_ledger", [], |row| row.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT code, source_file, content_hash, applied_version, removed FROM sync_ledger \
         ORDER BY code",
    )?;
    // Many groups share a file: one copy of each name.
    let mut files: HashMap<String, Arc<str>> = HashMap::new();
    let mut by_code = Vec::with_capacity(usize::try_from(rows).unwrap_or_default());
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let file: String = row.get(1)?;
        let file = files
            .entry(file)
            .or_insert_with_key(|name| Arc::from(name.as_str()))
            .clone();
        let owned = Owned {
            file,
            digest: Recorded::parse(row.get_ref(2)?.as_str().unwrap_or_default()),
            applied_version: row.get(3)?,
            removed: row.get(4)?,
        };
        let code: String = row.get(0)?;
        by_code.push((code.into_boxed_str(), owned));
    }
    // SQLite's order of text is its bytes', as `str`'s is; a custom
    // collation on the column would have to be sorted again.
    if !by_code.is_sorted_by(|(a, _), (b, _)| a < b) {
        by_code.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    }
    Ok(Ledger { by_code })
}

/// The files' digest of the last run that applied them (or found them
/// unchanged).
pub fn last_good_digest(admin: &Admin) -> Result<Option<String>, StoreError> {
    let conn = admin.db().conn();
    Ok(conn
        .query_row(
            "SELECT config_digest FROM sync_runs WHERE outcome IN ('applied', 'unchanged') \
             ORDER BY id DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?
        .flatten())
}

/// The store's clock, as the run log records times.
pub fn now(admin: &Admin) -> Result<String, StoreError> {
    Ok(admin
        .db()
        .conn()
        .query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |row| {
            row.get(0)
        })?)
}

/// Records a run.
pub fn record_run(admin: &Admin, report: &Report, started: &str) -> Result<(), StoreError> {
    record_run_on(&admin.db().conn(), report, started)
}

/// Records a run through `conn` (an applied one inside its transaction).
pub fn record_run_on(
    conn: &rusqlite::Connection,
    report: &Report,
    started: &str,
) -> Result<(), StoreError> {
    let outcome = match report.outcome {
        "applied" | "unchanged" | "refused" => report.outcome,
        _ => "failed",
    };
    // A run that left removals waiting has not applied these files.
    let digest =
        (!report.digest.is_empty() && report.deferred.is_empty()).then_some(report.digest.as_str());
    // The run log keeps what a reader of `status` needs, not every group written.
    let json = serde_json::to_string(&serde_json::json!({
        "errors": report.errors,
        "warnings": report.warnings,
        "drift": report.drift,
        "drift_mode": report.drift_mode,
        "steps": report.steps.len(),
    }))
    .unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT INTO sync_runs (started_at, finished_at, config_digest, outcome, created, updated, \
         deactivated, deleted, unchanged, drifted, report) \
         VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            started,
            digest,
            outcome,
            report.created() as i64,
            report.updated() as i64,
            report.deactivated() as i64,
            report.deleted() as i64,
            report.unchanged as i64,
            report.drift.len() as i64,
            json
        ],
    )?;
    Ok(())
}

/// Records a reconcile that could not run (the store or the plugin failed,
/// or the plugin could not be reloaded).
pub fn record_failure(admin: &Admin, error: &dyn std::fmt::Display) {
    let _ =
        now(admin).and_then(|started| record_failed_run(admin, &started, &format!("{error:#}")));
}

/// Records a failed run that started at `started` (as [`now`] gives it),
/// saying why.
pub fn record_failed_run(admin: &Admin, started: &str, why: &str) -> Result<(), StoreError> {
    let report = Report {
        outcome: "failed",
        warnings: vec![why.to_owned()],
        ..Report::default()
    };
    record_run(admin, &report, started)
}
