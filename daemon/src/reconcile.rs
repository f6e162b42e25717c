//! One reconcile: read the whole directory, validate every declared group
//! through the plugin in one bulk call, plan the difference against the
//! store, and apply it in one SQLite transaction, parents before children.
//!
//! Level-triggered: whatever woke us up, the directory as it is now is the
//! desired state. If any file fails to parse or any group fails validation,
//! nothing is applied and every problem is reported.
//!
//! Here: a reconcile as a whole ([`reconcile`]), and the wait that lets
//! removals through only once the files read the same for a while
//! ([`reconcile_settled`], [`Settle`]). Planning is [`crate::plan`],
//! applying [`crate::apply`], the records [`crate::ledger`]. The names
//! re-exported here are the ones `tests/src/fuzz` and `sync-bench` use.

use std::time::{Duration, Instant};

use host_harness::Admin;

use crate::apply::apply;
use crate::error::ReconcileError;
use crate::ledger::{now, record_run};
pub use crate::options::{DriftMode, Options};
pub use crate::plan::plan;
pub use crate::report::{Drift, Report, Step};

/// Reconciles once: plans, and unless `dry_run`, applies in one transaction.
/// Every outcome is recorded in `sync_runs` except dry runs.
pub fn reconcile(
    admin: &Admin,
    options: &Options,
    dry_run: bool,
) -> Result<Report, ReconcileError> {
    let started = now(admin)?;
    let mut report = plan(admin, options)?;
    if dry_run {
        if report.errors.is_empty() && !report.steps.is_empty() {
            report.outcome = "planned";
        }
        return Ok(report);
    }
    if report.errors.is_empty() && !report.steps.is_empty() {
        apply(admin, options, &mut report, &started)?;
    } else {
        record_run(admin, &report, &started)?;
    }
    Ok(report)
}

/// How long the files must read the same before the removals they imply
/// (groups no file declares any more) are applied: a file being written
/// (half of it on disk, or gone for a moment during an editor's save)
/// looks exactly like one from which groups were removed.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Removals seen in the files and not yet confirmed: the digest of the
/// files they were seen in, and when.
#[derive(Debug, Default)]
pub struct Settle {
    seen: Option<(String, Instant)>,
    /// Since when removals have waited, through every change of the files.
    waiting_since: Option<Instant>,
}

/// How long a change with removals is held back whole while the files keep
/// changing; after that the rest is applied and the removals wait alone.
pub const PATIENCE: Duration = Duration::from_secs(20);

impl Settle {
    /// When a reconcile can confirm the removals waiting, if any wait.
    pub fn confirm_at(&self) -> Option<Instant> {
        self.seen.as_ref().map(|(_, since)| *since + SETTLE)
    }

    /// Whether the removals `report` plans are confirmed: the files read
    /// exactly the same (same digest) at least [`SETTLE`] ago. If not, the
    /// clock starts (again, when the files changed) now.
    fn confirms(&mut self, report: &Report) -> bool {
        let removing = report.steps.iter().any(Step::is_removal);
        if !removing || !report.errors.is_empty() {
            (self.seen, self.waiting_since) = (None, None);
            return true;
        }
        match &self.seen {
            Some((digest, since)) if *digest == report.digest => {
                if since.elapsed() >= SETTLE {
                    (self.seen, self.waiting_since) = (None, None);
                    return true;
                }
            }
            _ => self.seen = Some((report.digest.clone(), Instant::now())),
        }
        self.waiting_since.get_or_insert_with(Instant::now);
        false
    }

    /// Whether removals have waited past [`PATIENCE`] (the files never
    /// read the same twice in that time).
    fn out_of_patience(&self) -> bool {
        self.waiting_since
            .is_some_and(|since| since.elapsed() >= PATIENCE)
    }
}

/// What [`reconcile_settled`] does while removals are not confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// Apply nothing and report `waiting`: the caller reads again when
    /// [`Settle::confirm_at`] says, so that one transaction applies the
    /// whole change (`run`, `apply --once`). Past [`PATIENCE`] of files
    /// that never read the same twice, as [`Hold::Removals`].
    Everything,
    /// Apply everything else now and leave the removals for a later
    /// reconcile.
    Removals,
}

/// Reconciles once like [`reconcile`], except that no group is removed
/// (deactivated, deleted or released) on the strength of one read of the
/// files: removals are applied only when the files read the same across
/// [`SETTLE`] (`settle` remembers the first read). Until then they are
/// `deferred`, and the run is recorded without the files' digest, so that
/// the next reconcile plans again rather than finding the files applied.
pub fn reconcile_settled(
    admin: &Admin,
    options: &Options,
    hold: Hold,
    settle: &mut Settle,
) -> Result<Report, ReconcileError> {
    let started = now(admin)?;
    let mut report = plan(admin, options)?;
    if !settle.confirms(&report) {
        let (removals, rest): (Vec<Step>, Vec<Step>) =
            report.steps.drain(..).partition(Step::is_removal);
        report.deferred = removals.iter().map(|s| s.code().to_owned()).collect();
        let shown: Vec<&str> = report
            .deferred
            .iter()
            .take(10)
            .map(String::as_str)
            .collect();
        report.warnings.push(format!(
            "{} group(s) no longer declared wait until the files read the same for {} s before \
             they are removed (a file may be being written): {}{}",
            report.deferred.len(),
            SETTLE.as_secs(),
            shown.join(", "),
            if report.deferred.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        ));
        if hold == Hold::Everything && !settle.out_of_patience() {
            report.steps = rest.into_iter().chain(removals).collect();
            report.outcome = "waiting";
            return Ok(report);
        }
        report.steps = rest;
    }
    if report.errors.is_empty() && !report.steps.is_empty() {
        apply(admin, options, &mut report, &started)?;
    } else {
        record_run(admin, &report, &started)?;
    }
    Ok(report)
}
