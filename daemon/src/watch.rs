//! `erp-sync run`: reconcile at start, then whenever the directory changes
//! (debounced), on a rescan hint, on SIGHUP and on a timer, until SIGTERM or
//! SIGINT. Events are only hints: every reconcile reads the whole directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use host_harness::Admin;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::signal::unix::{SignalKind, signal};

use crate::busy::{self, BusyNote};
use crate::diag::printable;
use crate::error::store_busy;
use crate::ledger;
use crate::options::Options;
use crate::reconcile::{self, Hold, Settle};
use crate::report::Report;

/// How the run loop is paced.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// How long the directory must be quiet before a reconcile.
    pub debounce: Duration,
    /// Reconcile at least this often, changes or not.
    pub interval: Duration,
}

/// Why `run` cannot watch the configuration directory.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The directory does not exist.
    #[error("the configuration directory {} does not exist (see --config)", .0.display())]
    Missing(PathBuf),
    /// The path is not a directory.
    #[error("the configuration path {} is not a directory (see --config)", .0.display())]
    NotADirectory(PathBuf),
    /// The directory cannot be read.
    #[error("cannot read the configuration directory {}: {}", .path.display(), io_reason(.error))]
    Unreadable {
        /// The directory.
        path: PathBuf,
        /// Why (in the message, not repeated as a source).
        error: std::io::Error,
    },
    /// The watcher refused it (or something under it).
    #[error("cannot watch {}: {}", .path.display(), watch_reason(.error))]
    Watch {
        /// What could not be watched.
        path: PathBuf,
        /// Why (in the message, not repeated as a source).
        error: notify::Error,
    },
}

/// An I/O error as a reason, without the OS error number.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "it does not exist".to_owned(),
        _ => e.to_string(),
    }
}

fn watch_reason(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::Io(io) => io_reason(io),
        notify::ErrorKind::PathNotFound => "it does not exist".to_owned(),
        notify::ErrorKind::MaxFilesWatch => {
            "the limit on file watches is reached (raise fs.inotify.max_user_watches)".to_owned()
        }
        notify::ErrorKind::Generic(text) => text.clone(),
        _ => format!("{e}"),
    }
}

impl WatchError {
    fn watching(dir: &Path, error: notify::Error) -> Self {
        let path = error
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| dir.to_owned());
        WatchError::Watch { path, error }
    }
}

/// Checks, before watching, that `dir` is a directory that can be read.
fn readable(dir: &Path) -> Result<(), WatchError> {
    match std::fs::read_dir(dir) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(WatchError::Missing(dir.to_owned()))
        }
        Err(_) if dir.exists() && !dir.is_dir() => Err(WatchError::NotADirectory(dir.to_owned())),
        Err(error) => Err(WatchError::Unreadable {
            path: dir.to_owned(),
            error,
        }),
    }
}

/// What the watcher tells the run loop.
enum Hint {
    /// Something under the directory changed.
    Change,
    /// The watcher lost events: read everything again.
    Rescan,
    /// The directory itself was created, removed, renamed or replaced (a
    /// symbolic link swapped): watch it anew.
    Replaced,
}

/// The watches of one configuration directory: the directory itself,
/// recursively, and its parent, not recursively, for events on the
/// directory's own name (`rm -rf cfg; mkdir cfg`, `mv cfg.new cfg`,
/// `mv -T cfg.tmp cfg` over a symbolic link), which a watch on the old
/// directory never sees.
struct Watch {
    _debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    /// The directory watched (device, inode, through symbolic links), if it
    /// existed when the watch was set up.
    identity: Option<(u64, u64)>,
}

/// The directory's identity: what it is now, through symbolic links.
fn identity(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

impl Watch {
    /// Watches `dir` (an absolute path) and its parent. A directory that does
    /// not exist (it is being replaced) is watched for through its parent
    /// only; `strict` makes that an error instead.
    fn new(
        dir: &Path,
        debounce: Duration,
        tx: tokio::sync::mpsc::UnboundedSender<Hint>,
        strict: bool,
    ) -> notify::Result<Self> {
        let root = dir.to_owned();
        // Zero would make the debouncer's thread spin.
        let debounce = debounce.max(Duration::from_millis(1));
        let mut debouncer = new_debouncer(debounce, None, move |result: DebounceEventResult| {
            let hint = match &result {
                Ok(batch) => {
                    let mut hint = None;
                    for e in batch.iter() {
                        if e.need_rescan() {
                            hint = Some(Hint::Rescan);
                            break;
                        }
                        // Reading the files (which every reconcile does)
                        // raises access events; reacting to them would
                        // reconcile forever.
                        if matches!(e.kind, EventKind::Access(_)) {
                            continue;
                        }
                        if e.paths.iter().any(|p| p == &root) {
                            hint = Some(Hint::Replaced);
                            break;
                        }
                        // The parent's other entries are none of our business.
                        if e.paths.iter().any(|p| p.starts_with(&root)) {
                            hint = Some(Hint::Change);
                        }
                    }
                    hint
                }
                Err(errors) => {
                    for e in errors {
                        tracing::warn!(error = %e, "watcher error; reconciling anyway");
                    }
                    Some(Hint::Rescan)
                }
            };
            if let Some(hint) = hint {
                let _ = tx.send(hint);
            }
        })?;
        let identity = identity(dir);
        match debouncer.watch(dir, RecursiveMode::Recursive) {
            Ok(()) => {}
            Err(e) if strict => return Err(e),
            Err(e) => tracing::warn!(
                dir = %dir.display(),
                error = %e,
                "the configuration directory cannot be watched (being replaced?); \
                 watching for it to come back"
            ),
        }
        if let Some(parent) = dir.parent() {
            debouncer.watch(parent, RecursiveMode::NonRecursive)?;
        }
        Ok(Self {
            _debouncer: debouncer,
            identity,
        })
    }
}

/// Runs until SIGTERM or SIGINT. A reconcile in progress is finished (its
/// transaction commits or rolls back) before the loop stops.
pub async fn run(admin: Arc<Admin>, options: Options, pace: Pace) -> anyhow::Result<()> {
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let dir = std::path::absolute(&options.dir)?;
    readable(&options.dir)?;
    let mut watch = Some(
        Watch::new(&dir, pace.debounce, tx.clone(), true)
            .map_err(|e| WatchError::watching(&options.dir, e))?,
    );
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut timer = tokio::time::interval(pace.interval);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    timer.tick().await;
    tracing::info!(dir = %options.dir.display(), "watching");
    let mut admin = admin;
    let mut busy = Busy::default();
    // A note an earlier daemon left (killed while the store was busy) is
    // stale: its failures are this daemon's to find again.
    busy::clear_busy_note(admin.db());
    let mut settle = Settle::default();
    once(&mut admin, &options, "start", &mut busy, &mut settle).await;
    loop {
        let retry_at = busy.retry_at;
        let confirm_at = settle.confirm_at();
        let mut reason = tokio::select! {
            Some(hint) = events.recv() => {
                let mut hints = vec![hint];
                // Coalesce whatever else has arrived.
                while let Ok(hint) = events.try_recv() {
                    hints.push(hint);
                }
                if hints.iter().any(|h| matches!(h, Hint::Replaced)) {
                    "replaced"
                } else if hints.iter().any(|h| matches!(h, Hint::Rescan)) {
                    "rescan"
                } else {
                    "change"
                }
            }
            _ = hangup.recv() => "SIGHUP",
            _ = timer.tick() => "timer",
            _ = until(retry_at) => "retry",
            _ = until(confirm_at) => "confirm",
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        };
        // Whatever woke us: a directory that is no longer the one watched
        // (replaced while an event was lost, say) is watched anew.
        if reason == "replaced" || watch.as_ref().map(|w| w.identity) != Some(identity(&dir)) {
            drop(watch.take());
            watch = match Watch::new(&dir, pace.debounce, tx.clone(), false) {
                Ok(watch) => {
                    tracing::info!(dir = %options.dir.display(), "the configuration directory was replaced; watching the new one");
                    Some(watch)
                }
                Err(e) => {
                    // Tried again at the next wake-up (the timer, SIGHUP).
                    let e = WatchError::watching(&dir, e);
                    tracing::error!(error = %e, "the configuration directory cannot be watched");
                    None
                }
            };
            reason = "replaced";
        }
        once(&mut admin, &options, reason, &mut busy, &mut settle).await;
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
///
/// Removals wait until the files have read the same for a while (see
/// [`reconcile::reconcile_settled`]); `settle` keeps the first read, and the
/// loop comes back when they can be confirmed.
async fn once(
    admin: &mut Arc<Admin>,
    options: &Options,
    reason: &'static str,
    busy: &mut Busy,
    settle: &mut Settle,
) {
    let started = Instant::now();
    let (current, options) = (admin.clone(), options.clone());
    let unrecorded = busy.unrecorded.take();
    let noted = unrecorded.is_some();
    let mut held = std::mem::take(settle);
    let outcome = tokio::task::spawn_blocking(move || {
        // The earlier failures first: the run log stays in order.
        if let Some((at, attempts, why)) = &unrecorded {
            let why =
                format!("{why} ({attempts} attempt(s) from {at} failed; retried with backoff)");
            if let Err(e) = ledger::record_failed_run(&current, at, &why) {
                let still = store_busy(&e);
                let attempt = if still {
                    Attempt::Busy(format!("{e}"))
                } else {
                    Attempt::Failed(e.into())
                };
                return (current, attempt, unrecorded.filter(|_| still), held);
            }
        }
        let admin = match reloaded(&current) {
            Ok(Some(fresh)) => Arc::new(fresh),
            Ok(None) => current,
            Err(e) => {
                ledger::record_failure(&current, &e);
                return (current, Attempt::Failed(e), None, held);
            }
        };
        let attempt_started = ledger::now(&admin).ok();
        match reconcile::reconcile_settled(&admin, &options, Hold::Everything, &mut held) {
            Ok(report) => (admin, Attempt::Done(report), None, held),
            Err(e) if e.is_busy() => {
                // The store cannot take the record now either: kept for later.
                let streak = match unrecorded {
                    Some((at, attempts, why)) => (at, attempts + 1, why),
                    None => (attempt_started.unwrap_or_default(), 1, format!("{e}")),
                };
                (admin, Attempt::Busy(format!("{e}")), Some(streak), held)
            }
            Err(e) => {
                ledger::record_failure(&admin, &e);
                (admin, Attempt::Failed(e.into()), None, held)
            }
        }
    })
    .await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let (used, attempt, unrecorded, held) = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(reason, error = %e, "reconcile panicked");
            return;
        }
    };
    *admin = used;
    // Until the run log can take them, the failures are noted beside the
    // store for `status`.
    match &unrecorded {
        Some((since, attempts, error)) => {
            let note = BusyNote {
                since: since.clone(),
                attempts: *attempts,
                error: error.clone(),
            };
            if let Err(e) = busy::write_busy_note(admin.db(), &note) {
                tracing::warn!(error = %e, "cannot note the busy store beside it");
            }
        }
        None if noted => busy::clear_busy_note(admin.db()),
        None => {}
    }
    busy.unrecorded = unrecorded;
    *settle = held;
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
        let help = printable(e.help.as_deref().unwrap_or(""));
        let help = help.as_ref();
        let (file, message) = (e.file.display().to_string(), printable(&e.message));
        let file = printable(&file);
        if e.line == 0 {
            // About the whole file: no position to give.
            tracing::error!(%file, help, "{message}");
        } else {
            tracing::error!(%file, line = e.line, column = e.column, help, "{message}");
        }
    }
}
