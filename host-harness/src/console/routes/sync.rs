//! `GET /sync`: the sync daemon's status as the store records it (the
//! groups its files own, those no file declares any more, the owned
//! groups edited here since it applied them, its last runs with their
//! counts, errors and warnings), and what the form and the list say about
//! a group the daemon owns: which file declares it, and what an edit here
//! leads to (reported as drift, or put back by the next run).

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{App, Stop, blocking, chrome, html, signed_in};
use crate::console::pages::{RunView, SyncPage};
use crate::console::words::{self, Words};
use crate::messages::Locale;
use crate::store::Db;

/// The last runs shown.
const RUNS: usize = 10;

/// Owned groups listed as drifted at most.
const DRIFTED: usize = 200;

/// The drift mode of the daemon's last run (`report`, `restore`), if it
/// ran.
fn drift_mode(db: &Db) -> Result<Option<String>, Stop> {
    let status = db.sync_status(1)?;
    Ok(status
        .runs
        .first()
        .and_then(|r| r["drift_mode"].as_str())
        .map(str::to_owned))
}

/// What the form says about group `code` at `version` if the daemon owns
/// it or did: the file, whether it was edited here since, what an edit
/// leads to.
pub(super) fn owner_notes(
    db: &Db,
    code: &str,
    version: i64,
    l: Locale,
) -> Result<Vec<String>, Stop> {
    let Some(owner) = db.sync_owner(code)? else {
        return Ok(Vec::new());
    };
    if owner.removed {
        return Ok(vec![words::sync_released(l, &owner.file)]);
    }
    let mut notes = vec![words::sync_owned(
        l,
        &owner.file,
        drift_mode(db)?.as_deref() == Some("restore"),
    )];
    if version != owner.applied_version {
        notes.push(words::sync_drifted(l));
    }
    Ok(notes)
}

/// `GET /sync`.
pub(super) async fn status(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(app, headers, |app, headers| {
        let who = signed_in(app, headers)?;
        let l = who.locale();
        let admin = app.admin()?;
        let db = admin.db();
        let status = db.sync_status(RUNS)?;
        let drifted = db.drifted_codes()?;
        let form = admin.form(l.tag())?;
        let lines = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|i| match i {
                            serde_json::Value::String(s) => s.clone(),
                            other => other
                                .get("message")
                                .and_then(|m| m.as_str())
                                .map_or_else(|| other.to_string(), str::to_owned),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let count = |r: &serde_json::Value, k: &str| r[k].as_i64().unwrap_or_default();
        let runs = status
            .runs
            .iter()
            .map(|r| RunView {
                started: r["started_at"].as_str().unwrap_or_default().to_owned(),
                finished: r["finished_at"].as_str().unwrap_or_default().to_owned(),
                outcome: r["outcome"].as_str().unwrap_or_default().to_owned(),
                counts: words::run_counts(
                    l,
                    [
                        count(r, "created"),
                        count(r, "updated"),
                        count(r, "deactivated"),
                        count(r, "deleted"),
                        count(r, "unchanged"),
                        count(r, "drifted"),
                    ],
                ),
                errors: lines(&r["errors"]),
                warnings: lines(&r["warnings"]),
            })
            .collect();
        let page = SyncPage {
            chrome: chrome(app, &who, "/sync")?,
            title: Words::of(l).sync_title.clone(),
            owned: status.owned,
            removed: status.removed,
            drifted_total: drifted.len(),
            drifted: drifted
                .into_iter()
                .take(DRIFTED)
                .map(|code| {
                    let href = format!("/form/{}/{}", form.id, super::encode(&code));
                    (code, href)
                })
                .collect(),
            mode: drift_mode(db)?.unwrap_or_default(),
            runs,
        };
        Ok(html(page.render()?))
    })
    .await
}
