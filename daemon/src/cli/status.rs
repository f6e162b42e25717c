//! `erp-sync status`: the ledger's counts, drift, a busy store's note and
//! the last runs, read from the store alone.

use std::io::Write;

use anyhow::Result;
use host_harness::Db;
use host_harness::store::SyncStatus;

use crate::busy;
use crate::diag::printable;

/// Prints the status of the store `db`, as JSON or text.
pub fn status(db: &Db, json: bool, out: &mut dyn Write) -> Result<()> {
    let SyncStatus {
        owned,
        removed,
        runs,
    } = db.sync_status(5)?;
    let drift = db.drifted_codes()?;
    // What `run` could not write in the run log yet (the store is busy).
    let busy = busy::read_busy_note(db);
    if json {
        let value = serde_json::json!({
            "owned": owned, "removed": removed, "drift": drift, "busy": busy, "runs": runs
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "owned groups: {owned} (+{removed} removed from the files)"
    )?;
    writeln!(
        out,
        "drift: {}",
        if drift.is_empty() {
            "none".to_owned()
        } else {
            drift.join(", ")
        }
    )?;
    if let Some(busy) = &busy {
        writeln!(
            out,
            "busy: erp-sync run cannot write to the store since {}: {} ({} attempt(s); retrying)",
            busy.since,
            printable(&busy.error),
            busy.attempts
        )?;
    }
    for run in &runs {
        writeln!(
            out,
            "{}  {:<9} +{} ~{} -{} x{} ={} !{}",
            run["finished_at"].as_str().unwrap_or(""),
            run["outcome"].as_str().unwrap_or(""),
            run["created"],
            run["updated"],
            run["deactivated"],
            run["deleted"],
            run["unchanged"],
            run["drifted"]
        )?;
        // A run that failed says why in its first warning.
        if run["outcome"] == "failed"
            && let Some(reasons) = run["warnings"].as_array()
        {
            for reason in reasons {
                writeln!(
                    out,
                    "    failed: {}",
                    printable(reason.as_str().unwrap_or(""))
                )?;
            }
        }
        if let Some(errors) = run["errors"].as_array() {
            for e in errors {
                // A problem with a whole file has no line and column.
                let at = match (e["line"].as_u64(), e["column"].as_u64()) {
                    (Some(line), Some(column)) if line > 0 => format!(":{line}:{column}"),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "    error: {}{at}: {}",
                    printable(e["file"].as_str().unwrap_or("")),
                    printable(e["message"].as_str().unwrap_or(""))
                )?;
            }
        }
    }
    if runs.is_empty() {
        writeln!(out, "no runs yet")?;
    }
    Ok(())
}
