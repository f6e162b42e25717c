//! `erp-sync run`: reconcile at start, then whenever the directory changes
//! (debounced), on a rescan hint, on SIGHUP and on a timer, until SIGTERM or
//! SIGINT. Events are only hints: every reconcile reads the whole directory.

use std::sync::Arc;
use std::time::{Duration, Instant};

use host_harness::Admin;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::signal::unix::{SignalKind, signal};

use crate::reconcile::{self, Options, Report};

/// How the run loop is paced.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// How long the directory must be quiet before a reconcile.
    pub debounce: Duration,
    /// Reconcile at least this often, changes or not.
    pub interval: Duration,
}

/// Runs until SIGTERM or SIGINT. A reconcile in progress is finished (its
/// transaction commits or rolls back) before the loop stops.
pub async fn run(admin: Arc<Admin>, options: Options, pace: Pace) -> anyhow::Result<()> {
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let mut debouncer = new_debouncer(pace.debounce, None, move |result: DebounceEventResult| {
        // Reading the files (which every reconcile does) raises access
        // events; reacting to them would reconcile forever.
        let relevant = match &result {
            Ok(batch) => batch
                .iter()
                .any(|e| e.need_rescan() || !matches!(e.kind, EventKind::Access(_))),
            Err(_) => true,
        };
        if relevant {
            let _ = tx.send(result);
        }
    })?;
    debouncer.watch(&options.dir, RecursiveMode::Recursive)?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut timer = tokio::time::interval(pace.interval);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    timer.tick().await;
    tracing::info!(dir = %options.dir.display(), "watching");
    let mut admin = admin;
    once(&mut admin, &options, "start").await;
    loop {
        let reason = tokio::select! {
            Some(result) = events.recv() => {
                let mut rescan = false;
                match result {
                    Ok(batch) => rescan |= batch.iter().any(|e| e.need_rescan()),
                    Err(errors) => {
                        for e in errors {
                            tracing::warn!(error = %e, "watcher error; reconciling anyway");
                        }
                        rescan = true;
                    }
                }
                // Coalesce whatever else has arrived.
                while events.try_recv().is_ok() {}
                if rescan { "rescan" } else { "change" }
            }
            _ = hangup.recv() => "SIGHUP",
            _ = timer.tick() => "timer",
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        };
        once(&mut admin, &options, reason).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// One reconcile on a blocking thread, logged; with the plugin reloaded
/// first if the host has installed another one or changed its limits.
async fn once(admin: &mut Arc<Admin>, options: &Options, reason: &'static str) {
    let started = Instant::now();
    let (current, options) = (admin.clone(), options.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        let admin = match reloaded(&current) {
            Ok(Some(fresh)) => Arc::new(fresh),
            Ok(None) => current,
            Err(e) => {
                reconcile::record_failure(&current, &e);
                return (current, Err(e));
            }
        };
        let result = reconcile::reconcile(&admin, &options, false);
        if let Err(e) = &result {
            reconcile::record_failure(&admin, e);
        }
        (admin, result.map_err(anyhow::Error::from))
    })
    .await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok((used, result)) => {
            *admin = used;
            match result {
                Ok(report) => log(&report, reason, elapsed_ms),
                Err(e) => tracing::error!(reason, error = format!("{e:#}"), "reconcile failed"),
            }
        }
        Err(e) => tracing::error!(reason, error = %e, "reconcile panicked"),
    }
}

/// The plugin as the host now has it installed and limited, if that is not
/// what `admin` loaded. Never reconciles with a plugin the host no longer
/// has: if the new one cannot be loaded, that is the reconcile's error.
fn reloaded(admin: &Admin) -> anyhow::Result<Option<Admin>> {
    if admin.is_current()? {
        return Ok(None);
    }
    let fresh = Admin::open(admin.db().clone())
        .map_err(|e| anyhow::anyhow!("reloading the plugin installed in the host: {e}"))?;
    let (plugin, limits) = (fresh.plugin().loaded(), fresh.plugin().limits().values());
    tracing::info!(
        code = %plugin.origin,
        wit = fresh.plugin().wit_version(),
        limits = ?limits,
        "the host's plugin or its limits changed; reloaded"
    );
    Ok(Some(fresh))
}

/// Logs a report: one line, plus each error in full.
pub fn log(report: &Report, reason: &str, elapsed_ms: u64) {
    tracing::info!(
        reason,
        outcome = report.outcome,
        created = report.created(),
        updated = report.updated(),
        deactivated = report.deactivated(),
        deleted = report.deleted(),
        unchanged = report.unchanged,
        drift = report.drift.len(),
        errors = report.errors.len(),
        elapsed_ms,
        "reconciled"
    );
    for d in &report.drift {
        tracing::warn!(code = %d.code, file = %d.file, detail = %d.detail, "drift");
    }
    for w in &report.warnings {
        tracing::warn!("{w}");
    }
    for e in &report.errors {
        let help = e.help.as_deref().unwrap_or("");
        tracing::error!(file = %e.file.display(), line = e.line, column = e.column, help, "{}", e.message);
    }
}
