//! The note `run` leaves beside the store while the store is too busy to
//! take its run log (`<database>.erp-sync.busy`), for `status`.

use std::path::PathBuf;

use host_harness::Db;
use serde::Serialize;

/// What `run` notes beside the store while the store is too busy to take
/// its run log: read by `status`, which can read under the lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BusyNote {
    /// When the first failed attempt started (the store's clock).
    pub since: String,
    /// The failed attempts so far.
    pub attempts: u32,
    /// The error.
    pub error: String,
}

/// The note's file: `<database>.erp-sync.busy`, beside the daemon's lock.
fn busy_note_path(db: &Db) -> Option<PathBuf> {
    let conn = db.conn();
    let path = conn.path().filter(|p| !p.is_empty())?;
    Some(PathBuf::from(format!("{path}.erp-sync.busy")))
}

/// Notes (replacing any earlier note) that the store is busy.
pub fn write_busy_note(db: &Db, note: &BusyNote) -> std::io::Result<()> {
    let Some(path) = busy_note_path(db) else {
        return Ok(());
    };
    let mut tmp = path.clone().into_os_string();
    tmp.push(".tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec(note).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(&tmp, &path)
}

/// Removes the note: the run log has the failures now.
pub fn clear_busy_note(db: &Db) {
    if let Some(path) = busy_note_path(db) {
        let _ = std::fs::remove_file(path);
    }
}

/// The note, if `run` left one.
pub fn read_busy_note(db: &Db) -> Option<BusyNote> {
    let bytes = std::fs::read(busy_note_path(db)?).ok()?;
    serde_json::from_slice(&bytes).ok()
}
