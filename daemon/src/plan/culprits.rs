//! Finding the changes a failed plugin call fails on alone (a value too
//! big for the plugin's memory, or one that makes it trap).

use std::sync::{Arc, Mutex};

use host_harness::wit::Change;
use host_harness::{Admin, PluginError};

use crate::plan::pending::{Pending, PendingFacts};

/// Whether a failed call may be down to one record (a value too big for
/// the plugin's memory, or one that makes it trap), rather than to the
/// size of the call.
pub fn per_record(error: &PluginError) -> bool {
    matches!(
        error,
        PluginError::MemoryLimit { .. } | PluginError::Trap { .. }
    )
}

/// The changes of `batch` (whose call failed with `failed`) on which the
/// plugin fails alone, found by halving: a few calls per culprit. Err with
/// the call's error when none fails alone (it is the call's size, then).
pub fn culprits(
    admin: &Admin,
    pending: &Arc<Mutex<Pending>>,
    batch: &[Change],
    failed: PluginError,
    locale: &str,
) -> Result<Vec<(usize, PluginError)>, PluginError> {
    if batch.len() == 1 {
        return Ok(vec![(0, failed)]);
    }
    let mut found = Vec::new();
    let half = batch.len() / 2;
    let mut ranges = vec![half..batch.len(), 0..half];
    while let Some(range) = ranges.pop() {
        let facts = Box::new(PendingFacts::new(admin.db().clone(), pending.clone()));
        match admin
            .plugin()
            .validate_many(facts, &batch[range.clone()], locale)
        {
            Ok(_) => {}
            Err(e) if range.len() == 1 => found.push((range.start, e)),
            Err(e) if per_record(&e) => {
                let mid = range.start + range.len() / 2;
                ranges.push(mid..range.end);
                ranges.push(range.start..mid);
            }
            Err(_) => {}
        }
    }
    if found.is_empty() {
        return Err(failed);
    }
    Ok(found)
}
