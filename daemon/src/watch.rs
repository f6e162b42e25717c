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
    let mut busy = Busy::default();
    once(&mut admin, &options, "start", &mut busy).await;
    loop {
        let retry_at = busy.retry_at;
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
            _ = until(retry_at) => "retry",
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        };
        once(&mut admin, &options, reason, &mut busy).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Sleeps until `at`, or forever when there is nothing to wait for.
async fn until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// The first wait before retrying a reconcile the store was too busy for.
const FIRST_RETRY: Duration = Duration::from_millis(500);
/// The longest wait between retries.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Reconciles that failed because another client held the store past the
/// busy timeout, since the last one that got through.
#[derive(Default)]
struct Busy {
    /// When to try again; `None` while the store is not known to be busy.
    retry_at: Option<Instant>,
    /// The wait after the next failure.
    delay: Duration,
    /// The failed attempts not yet in the run log (the store could not take
    /// them): when the first started (the store's clock), how many, why.
    unrecorded: Option<(String, u32, String)>,
}

/// What one attempt came to.
enum Attempt {
    /// Reconciled (applied, unchanged, refused): the report.
    Done(Report),
    /// Another client held the store: try again later.
    Busy(String),
    /// Any other failure (recorded in the run log): wait for the next hint.
    Failed(anyhow::Error),
}

/// One reconcile on a blocking thread, logged; with the plugin reloaded
/// first if the host has installed another one or changed its limits. A
/// store held by another client is retried with backoff (see [`Busy`]):
/// the failed attempts go in the run log as soon as the store takes a
/// write, before the retry that gets through.
async fn once(admin: &mut Arc<Admin>, options: &Options, reason: &'static str, busy: &mut Busy) {
    let started = Instant::now();
    let (current, options) = (admin.clone(), options.clone());
    let unrecorded = busy.unrecorded.take();
    let outcome = tokio::task::spawn_blocking(move || {
        // The earlier failures first: the run log stays in order.
        if let Some((at, attempts, why)) = &unrecorded {
            let why =
                format!("{why} ({attempts} attempt(s) from {at} failed; retried with backoff)");
            if let Err(e) = reconcile::record_failed_run(&current, at, &why) {
                let still = reconcile::store_busy(&e);
                let attempt = if still {
                    Attempt::Busy(format!("{e}"))
                } else {
                    Attempt::Failed(e.into())
                };
                return (current, attempt, unrecorded.filter(|_| still));
            }
        }
        let admin = match reloaded(&current) {
            Ok(Some(fresh)) => Arc::new(fresh),
            Ok(None) => current,
            Err(e) => {
                reconcile::record_failure(&current, &e);
                return (current, Attempt::Failed(e), None);
            }
        };
        let attempt_started = reconcile::store_now(&admin).ok();
        match reconcile::reconcile(&admin, &options, false) {
            Ok(report) => (admin, Attempt::Done(report), None),
            Err(e) if e.is_busy() => {
                // The store cannot take the record now either: kept for later.
                let streak = match unrecorded {
                    Some((at, attempts, why)) => (at, attempts + 1, why),
                    None => (attempt_started.unwrap_or_default(), 1, format!("{e}")),
                };
                (admin, Attempt::Busy(format!("{e}")), Some(streak))
            }
            Err(e) => {
                reconcile::record_failure(&admin, &e);
                (admin, Attempt::Failed(e.into()), None)
            }
        }
    })
    .await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let (used, attempt, unrecorded) = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(reason, error = %e, "reconcile panicked");
            return;
        }
    };
    *admin = used;
    busy.unrecorded = unrecorded;
    match attempt {
        Attempt::Done(report) => {
            log(&report, reason, elapsed_ms);
            (busy.retry_at, busy.delay) = (None, FIRST_RETRY);
        }
        Attempt::Busy(why) => {
            let delay = busy.delay.clamp(FIRST_RETRY, MAX_RETRY);
            tracing::warn!(
                reason,
                error = why,
                retry_in_ms = delay.as_millis() as u64,
                "the store is busy (another client holds its write lock); retrying"
            );
            busy.retry_at = Some(Instant::now() + delay);
            busy.delay = (delay * 2).min(MAX_RETRY);
        }
        Attempt::Failed(e) => {
            tracing::error!(reason, error = format!("{e:#}"), "reconcile failed");
            (busy.retry_at, busy.delay) = (None, FIRST_RETRY);
        }
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
