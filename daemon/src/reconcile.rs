//! One reconcile: read the whole directory, validate every declared group
//! through the plugin in one bulk call, plan the difference against the
//! store, and apply it in one SQLite transaction, parents before children.
//!
//! Level-triggered: whatever woke us up, the directory as it is now is the
//! desired state. If any file fails to parse or any group fails validation,
//! nothing is applied and every problem is reported.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use host_harness::store::{GroupRecord, StoreError};
use host_harness::wit::{
    Account, Change, Customer, CustomerGroup, FactsError, GroupUsage, Issue, ReferenceKind,
    Settings, Severity, Update,
};
use host_harness::{Admin, Db, Facts, PluginError};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::config;
use crate::diag::Diagnostic;
use crate::packed::PackedGroup;

/// What to do with a group edited in the host after the daemon applied it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum DriftMode {
    /// Report it and leave the host's edit alone.
    #[default]
    Report,
    /// Put the file's values back.
    Restore,
}

/// How a reconcile behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The configuration directory.
    pub dir: PathBuf,
    /// What to do about drift.
    pub drift: DriftMode,
    /// Delete (where the rules allow) instead of deactivating groups removed
    /// from the files.
    pub prune: bool,
    /// The largest share of owned groups, in percent, one reconcile may
    /// deactivate or delete without `force`.
    pub max_removal_percent: u32,
    /// Apply even past the removal guard.
    pub force: bool,
    /// Locale of the plugin's messages.
    pub locale: String,
    /// The user stamped in audit fields.
    pub user: String,
}

/// One step of a plan.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Step {
    /// Create a group the files declare.
    Create {
        /// The group, as the plugin normalised it.
        group: PackedGroup,
        /// The file declaring it.
        file: Arc<str>,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: [u8; 32],
    },
    /// Update a group to the files' values.
    Update {
        /// The new values.
        group: PackedGroup,
        /// The version it replaces.
        version: i64,
        /// The file declaring it.
        file: Arc<str>,
        /// Why: `changed`, `adopted` or `restored` (drift).
        reason: &'static str,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: [u8; 32],
    },
    /// Take over a group the host has, already as declared (`adopt = true`):
    /// only ownership is recorded.
    Adopt {
        /// The group.
        group: PackedGroup,
        /// Its version.
        version: i64,
        /// The file declaring it.
        file: Arc<str>,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: [u8; 32],
    },
    /// Deactivate a group no file declares any more.
    Deactivate {
        /// The group, inactive.
        group: PackedGroup,
        /// The version it replaces.
        version: i64,
    },
    /// Stop managing a group no file declares any more that cannot be
    /// deactivated: only the ownership record goes.
    Release {
        /// The group.
        code: String,
    },
    /// Delete a group no file declares any more (with `prune`).
    Delete {
        /// The group.
        code: String,
        /// The version deleted.
        version: i64,
    },
}

impl Step {
    /// Whether the step removes a group from what the files manage.
    pub fn is_removal(&self) -> bool {
        matches!(
            self,
            Step::Deactivate { .. } | Step::Delete { .. } | Step::Release { .. }
        )
    }

    /// The group the step touches.
    pub fn code(&self) -> &str {
        match self {
            Step::Create { group, .. }
            | Step::Update { group, .. }
            | Step::Adopt { group, .. }
            | Step::Deactivate { group, .. } => group.code(),
            Step::Delete { code, .. } | Step::Release { code } => code,
        }
    }
}

/// A group edited in the host since the daemon applied it.
#[derive(Clone, Debug, Serialize)]
pub struct Drift {
    /// The group.
    pub code: String,
    /// The file declaring it.
    pub file: String,
    /// What happened.
    pub detail: String,
}

/// What a reconcile found, planned or did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// `unchanged`, `applied`, `planned` (dry run with changes) or `refused`.
    pub outcome: &'static str,
    /// The steps, in the order applied.
    pub steps: Vec<Step>,
    /// Declared groups already as declared.
    pub unchanged: usize,
    /// Drift found.
    pub drift: Vec<Drift>,
    /// Warnings (the plugin's, and fallbacks).
    pub warnings: Vec<String>,
    /// Errors: nothing was applied.
    pub errors: Vec<Diagnostic>,
    /// Digest of the directory's files.
    pub digest: String,
    /// Groups no file declares any more whose removal waits until the files
    /// have read the same for [`SETTLE`] (see [`reconcile_settled`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<String>,
}

impl Report {
    fn count(&self, action: fn(&Step) -> bool) -> usize {
        self.steps.iter().filter(|s| action(s)).count()
    }

    /// Groups created.
    pub fn created(&self) -> usize {
        self.count(|s| matches!(s, Step::Create { .. }))
    }
    /// Groups updated.
    pub fn updated(&self) -> usize {
        self.count(|s| matches!(s, Step::Update { .. }))
    }
    /// Groups taken over as they are (ownership only).
    pub fn adopted(&self) -> usize {
        self.count(|s| matches!(s, Step::Adopt { .. }))
    }
    /// Groups deactivated.
    pub fn deactivated(&self) -> usize {
        self.count(|s| matches!(s, Step::Deactivate { .. }))
    }
    /// Groups deleted.
    pub fn deleted(&self) -> usize {
        self.count(|s| matches!(s, Step::Delete { .. }))
    }
}

/// Why a reconcile could not run at all (as opposed to refusing a config).
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The plugin failed.
    #[error(transparent)]
    Plugin(#[from] PluginError),
}

impl ReconcileError {
    /// Whether another client held the store (SQLite busy or locked past the
    /// busy timeout): the same reconcile may well succeed when retried.
    pub fn is_busy(&self) -> bool {
        match self {
            ReconcileError::Store(e) => store_busy(e),
            ReconcileError::Plugin(_) => false,
        }
    }
}

/// Whether a store error says another client held the store.
pub fn store_busy(error: &StoreError) -> bool {
    matches!(error, StoreError::Sqlite(e) if matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    ))
}

/// What the daemon last wrote for a group.
struct Owned {
    /// The file that declared it (shared by the file's groups).
    file: Arc<str>,
    /// Digest of the declaration as written when last applied (none once removed).
    digest: Option<[u8; 32]>,
    applied_version: i64,
    removed: bool,
}

/// What planning keeps of every stored group: its place in the tree.
struct Stored {
    version: i64,
    parent: Option<String>,
}

/// One question for the plugin.
enum Work {
    /// Declaration `decl` (an index into the config), new or replacing a
    /// stored group (`existing`).
    Declared { decl: usize, existing: bool },
    /// An owned group no file declares any more: may it go inactive?
    Removed { code: Box<str> },
}

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

/// Plans a reconcile without writing anything.
///
/// Memory stays proportional to the number of groups times a few dozen
/// bytes: declarations and steps hold groups packed, the store is read as a
/// slim index (full records only for groups that change), and the plugin
/// sees the work in chunks.
pub fn plan(admin: &Admin, options: &Options) -> Result<Report, ReconcileError> {
    let mut report = Report {
        outcome: "unchanged",
        ..Report::default()
    };
    let (files, digest) = match config::scan(&options.dir) {
        Ok(scanned) => scanned,
        Err(errors) => return Ok(refused(report, errors)),
    };
    report.digest = digest;
    let ledger = load_ledger(admin)?;
    // Nothing changed in the files since the last good run, and nothing
    // drifted: no need to parse, let alone validate.
    if last_good_digest(admin)?.as_deref() == Some(report.digest.as_str())
        && drifted_codes(admin.db())?.is_empty()
    {
        report.unchanged = ledger.values().filter(|o| !o.removed).count();
        return Ok(report);
    }
    let config = match config::parse(files) {
        Ok(config) => config,
        Err(errors) => return Ok(refused(report, errors)),
    };
    let stored: HashMap<String, Stored> = admin
        .db()
        .group_versions()?
        .into_iter()
        .map(|g| {
            let stored = Stored {
                version: g.version,
                parent: g.parent,
            };
            (g.code, stored)
        })
        .collect();
    // How people type codes is forgiving; what a code may be is the plugin's
    // call. Stored codes are normally in that form already; any that is not
    // is found through this (usually empty) map.
    let aliases: HashMap<String, &str> = stored
        .keys()
        .filter(|code| key(code) != **code)
        .map(|code| (key(code), code.as_str()))
        .collect();
    let stored_code = |code: &str| -> Option<&str> {
        let key = key(code);
        match stored.get_key_value(&key) {
            Some((code, _)) => Some(code.as_str()),
            None => aliases.get(&key).copied(),
        }
    };

    // Every declaration that changed since it was applied (or is new) goes
    // to the plugin, with the deactivations the files' silence asks for. A
    // declaration exactly as applied, on a group nobody edited since, is
    // unchanged without asking.
    let mut planner = Planner {
        admin,
        options,
        config: &config,
        ledger: &ledger,
        files: config
            .files
            .iter()
            .map(|f| Arc::from(f.path.display().to_string()))
            .collect(),
        report,
        errors: Vec::new(),
        declared: Vec::new(),
        removals: Vec::new(),
    };
    let mut work = Vec::new();
    let mut declared_codes: HashMap<&str, usize> = HashMap::new();
    for (i, decl) in config.groups.iter().enumerate() {
        let existing = stored_code(decl.group.code());
        if let Some(code) = existing
            && let Some(first) = declared_codes.insert(code, i)
        {
            let at = config.diagnostic(&config.groups[first], "code", "");
            planner.errors.push(
                config
                    .diagnostic(decl, "code", format!("group {code} is declared twice"))
                    .with_help(format!(
                        "it is also declared at {}:{}:{}; keep one",
                        at.file.display(),
                        at.line,
                        at.column
                    )),
            );
        }
        if let Some(code) = existing
            && let (Some(owned), Some(record)) = (ledger.get(code), stored.get(code))
            && !owned.removed
            && owned.digest == Some(decl.digest)
            && owned.applied_version == record.version
        {
            planner.report.unchanged += 1;
            continue;
        }
        if let Some(code) = existing
            && !ledger.contains_key(code)
            && !decl.adopt
        {
            planner.errors.push(
                config
                    .diagnostic(
                        decl,
                        "code",
                        format!(
                            "group {code} already exists in the host and is not managed by these files"
                        ),
                    )
                    .with_help("add `adopt = true` to this group to take it over"),
            );
        }
        work.push(Work::Declared {
            decl: i,
            existing: existing.is_some(),
        });
    }
    work.extend(
        ledger
            .iter()
            .filter(|(code, owned)| {
                !owned.removed
                    && !declared_codes.contains_key(code.as_str())
                    && stored.contains_key(*code)
            })
            .map(|(code, _)| Work::Removed {
                code: code.as_str().into(),
            }),
    );
    drop(declared_codes);

    // The plugin's verdicts, a chunk at a time, parents first; each chunk
    // sees the groups accepted in earlier ones (see [`PendingFacts`]).
    let pending = Arc::new(Mutex::new(Pending::default()));
    for chunk in parents_first(&work, &config, &stored) {
        let mut batch = Vec::with_capacity(chunk.len());
        let mut items = Vec::with_capacity(chunk.len());
        for i in chunk {
            match &work[i] {
                Work::Declared { decl, existing } => {
                    let group = config.groups[*decl].group.unpack();
                    match existing.then(|| stored_code(&group.code)).flatten() {
                        Some(code) => {
                            let record = admin.db().group(code)?;
                            batch.push(Change::Update(Update {
                                code: code.to_owned(),
                                proposed: group,
                            }));
                            items.push((i, Some(code), record));
                        }
                        None => {
                            batch.push(Change::Create(group));
                            items.push((i, None, None));
                        }
                    }
                }
                Work::Removed { code } => {
                    // Gone from the host meanwhile: nothing left to remove.
                    let Some(record) = admin.db().group(code)? else {
                        continue;
                    };
                    let mut inactive = record.group.clone();
                    inactive.inactive = true;
                    batch.push(Change::Update(Update {
                        code: code.to_string(),
                        proposed: inactive,
                    }));
                    items.push((i, None, Some(record)));
                }
            }
        }
        let facts = Box::new(PendingFacts {
            db: admin.db().clone(),
            pending: pending.clone(),
        });
        let verdicts = match admin.plugin().validate_many(facts, &batch, &options.locale) {
            Ok(verdicts) => verdicts,
            // One record too big for the plugin fails the whole call: find
            // it, and say which group in which file.
            Err(e) if per_record(&e) => {
                let found = culprits(admin, &pending, &batch, e, &options.locale)?;
                for (at, error) in found {
                    let message = match &work[items[at].0] {
                        Work::Declared { decl, .. } => {
                            let decl = &config.groups[*decl];
                            config.diagnostic(
                                decl,
                                "code",
                                format!(
                                    "the plugin could not check group {}: {error}",
                                    decl.group.code()
                                ),
                            )
                        }
                        Work::Removed { code } => Diagnostic::file(
                            &options.dir,
                            format!(
                                "the plugin could not check the removal of group {code}: {error}"
                            ),
                        ),
                    };
                    planner.errors.push(message);
                }
                break;
            }
            Err(e) => return Err(e.into()),
        };
        drop(batch);
        for ((i, existing, record), verdict) in items.into_iter().zip(verdicts) {
            let accepted = verdict.normalized.map(|group| {
                let packed = PackedGroup::new(&group);
                pending
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(&group, packed.clone());
                packed
            });
            match &work[i] {
                Work::Declared { decl, .. } => planner.declared(
                    &config.groups[*decl],
                    existing,
                    record,
                    verdict.issues,
                    accepted,
                ),
                Work::Removed { .. } => {
                    if let Some(record) = record {
                        planner.removed(record, verdict.issues, accepted.is_some())?;
                    }
                }
            }
        }
    }
    drop(pending);
    planner.finish(&stored)
}

/// Whether a failed call may be down to one record (a value too big for
/// the plugin's memory, or one that makes it trap), rather than to the
/// size of the call.
fn per_record(error: &PluginError) -> bool {
    matches!(
        error,
        PluginError::MemoryLimit { .. } | PluginError::Trap { .. }
    )
}

/// The changes of `batch` (whose call failed with `failed`) on which the
/// plugin fails alone, found by halving: a few calls per culprit. Err with
/// the call's error when none fails alone (it is the call's size, then).
fn culprits(
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
        let facts = Box::new(PendingFacts {
            db: admin.db().clone(),
            pending: pending.clone(),
        });
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

/// The most changes sent to the plugin in one call: bounds the plugin's
/// memory and the host's copies of the groups in flight.
const CHUNK: usize = 2_000;

/// The form codes are compared in (the plugin's normalisation of codes).
fn key(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The plan being built from the plugin's verdicts.
struct Planner<'a> {
    admin: &'a Admin,
    options: &'a Options,
    config: &'a config::Config,
    ledger: &'a BTreeMap<String, Owned>,
    /// Each config file's name, shared by its steps.
    files: Vec<Arc<str>>,
    report: Report,
    errors: Vec<Diagnostic>,
    declared: Vec<Step>,
    removals: Vec<Step>,
}

impl Planner<'_> {
    /// The step for a declaration, given the plugin's verdict on it.
    fn declared(
        &mut self,
        decl: &config::Declaration,
        existing: Option<&str>,
        record: Option<GroupRecord>,
        issues: Vec<Issue>,
        accepted: Option<PackedGroup>,
    ) {
        let report = &mut self.report;
        for issue in issues {
            let diag = self.config.diagnostic(decl, &issue.field, issue.message);
            match issue.severity {
                Severity::Error => self
                    .errors
                    .push(diag.with_help(format!("rule {}", issue.rule))),
                Severity::Warning => report.warnings.push(format!(
                    "{}:{}:{}: {} [{}]",
                    diag.file.display(),
                    diag.line,
                    diag.column,
                    diag.message,
                    issue.rule
                )),
            }
        }
        let Some(group) = accepted else {
            return;
        };
        let file = self.files[decl.file].clone();
        let source = decl.digest;
        let owned = self.ledger.get(group.code());
        let record = match (existing, record) {
            (None, _) => {
                if let Some(owned) = owned {
                    // Owned, but gone from the host: deleted there.
                    report.drift.push(Drift {
                        code: group.code().to_owned(),
                        file: owned.file.to_string(),
                        detail: "deleted in the host".into(),
                    });
                    if self.options.drift == DriftMode::Report {
                        return;
                    }
                }
                self.declared.push(Step::Create {
                    group,
                    file,
                    source,
                });
                return;
            }
            (Some(code), None) => {
                // Deleted between our read and now: report, retry next time.
                report
                    .warnings
                    .push(format!("group {code} vanished while planning"));
                return;
            }
            (Some(_), Some(record)) => record,
        };
        if PackedGroup::new(&record.group) == group {
            if owned.is_none_or(|o| o.removed || o.applied_version == record.version) {
                // Taken over as it is, or written differently with the same
                // meaning: only the ownership record changes.
                self.declared.push(Step::Adopt {
                    group,
                    version: record.version,
                    file,
                    source,
                });
            } else {
                report.unchanged += 1;
            }
            return;
        }
        let drifted = owned.is_some_and(|o| o.applied_version != record.version && !o.removed);
        let reason = if owned.is_none() {
            "adopted"
        } else if drifted {
            report.drift.push(Drift {
                code: group.code().to_owned(),
                file: file.to_string(),
                detail: format!(
                    "edited in the host by {} at {} (version {})",
                    record.updated_by, record.updated_at, record.version
                ),
            });
            if self.options.drift == DriftMode::Report {
                return;
            }
            "restored"
        } else {
            "changed"
        };
        self.declared.push(Step::Update {
            group,
            version: record.version,
            file,
            reason,
            source,
        });
    }

    /// The step for a group no file declares any more, given whether the
    /// plugin lets it go inactive.
    fn removed(
        &mut self,
        record: GroupRecord,
        issues: Vec<Issue>,
        may_deactivate: bool,
    ) -> Result<(), ReconcileError> {
        let code = record.group.code.clone();
        if !may_deactivate {
            // The plugin will not let it go inactive (the default group, say):
            // stop managing it and leave it as it is.
            let why: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
            self.report.warnings.push(format!(
                "{code} is no longer declared; released as it is (cannot be deactivated: {})",
                why.join("; ")
            ));
            self.removals.push(Step::Release { code });
            return Ok(());
        }
        if self.options.prune {
            let delete = self.admin.plugin().validate(
                self.admin.db().facts(),
                &Change::Delete(code.clone()),
                &self.options.locale,
            )?;
            if delete.issues.iter().all(|i| i.severity != Severity::Error) {
                self.removals.push(Step::Delete {
                    code,
                    version: record.version,
                });
                return Ok(());
            }
            let why: Vec<&str> = delete.issues.iter().map(|i| i.message.as_str()).collect();
            self.report.warnings.push(format!(
                "{code} kept (deactivated) instead of deleted: {}",
                why.join("; ")
            ));
        }
        if record.group.inactive {
            return Ok(());
        }
        // What deactivating it leaves behind (active customers, active
        // subgroups), in the plugin's words.
        let file = self
            .ledger
            .get(&code)
            .map_or_else(String::new, |o| o.file.to_string());
        for issue in issues.iter().filter(|i| i.severity == Severity::Warning) {
            self.report.warnings.push(format!(
                "{code} (no longer declared in {file}) is deactivated: {} [{}]",
                issue.message, issue.rule
            ));
        }
        let mut group = record.group;
        group.inactive = true;
        self.removals.push(Step::Deactivate {
            group: PackedGroup::new(&group),
            version: record.version,
        });
        Ok(())
    }

    /// The plan: refused on any error or past the removal guard; else every
    /// step, creates and updates parents first, deletions children first.
    fn finish(self, stored: &HashMap<String, Stored>) -> Result<Report, ReconcileError> {
        let Planner {
            options,
            ledger,
            mut report,
            mut errors,
            declared,
            mut removals,
            ..
        } = self;
        let owned = ledger.values().filter(|o| !o.removed).count();
        let removing = removals.len();
        if removing > 0
            && !options.force
            && removing * 100 > owned * options.max_removal_percent as usize
        {
            errors.push(
                Diagnostic::file(
                    &options.dir,
                    format!(
                        "this change would remove {removing} of the {owned} groups the files own (more than {}%); refused",
                        options.max_removal_percent
                    ),
                )
                .with_help("check that no file went missing; apply with --force if intended"),
            );
        }
        if !errors.is_empty() {
            return Ok(refused(report, errors));
        }
        report.steps = order(declared, stored);
        removals.sort_by_key(|s| std::cmp::Reverse(depth(s.code(), stored)));
        report.steps.extend(removals);
        Ok(report)
    }
}

/// Indices of `work` in chunks of at most [`CHUNK`], ordered so that a group
/// comes after the group it names as parent (when both are in the work); all
/// groups on or under a cycle in one last chunk.
fn parents_first(
    work: &[Work],
    config: &config::Config,
    stored: &HashMap<String, Stored>,
) -> Vec<Vec<usize>> {
    // (code, parent) of each item that has a parent: a flat list of groups
    // needs no map at all.
    let with_parent = |w: &Work| match w {
        Work::Declared { decl, .. } => {
            let group = config.groups[*decl].group.unpack();
            let parent = key(group.parent.as_deref()?);
            Some((key(&group.code), parent))
        }
        Work::Removed { code } => {
            let parent = key(stored.get(&**code)?.parent.as_deref()?);
            Some((key(code), parent))
        }
    };
    let parents: HashMap<String, String> = work.iter().filter_map(with_parent).collect();
    // Depth in the work's tree; groups on or under a cycle go last, together,
    // so the plugin sees the whole cycle in one call and names it.
    let depth = |code: &str| {
        let mut depth = 0usize;
        let mut seen = BTreeSet::new();
        let mut current = code;
        while let Some(parent) = parents.get(current) {
            if !seen.insert(current) {
                return usize::MAX;
            }
            depth += 1;
            current = parent;
        }
        depth
    };
    let mut order: Vec<(usize, usize)> = work
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let depth = match with_parent(w) {
                Some((code, _)) => depth(&code),
                None => 0,
            };
            (depth, i)
        })
        .collect();
    order.sort_unstable();
    let cycles = order.partition_point(|(depth, _)| *depth != usize::MAX);
    let mut chunks: Vec<Vec<usize>> = order[..cycles]
        .chunks(CHUNK)
        .map(|chunk| chunk.iter().map(|(_, i)| *i).collect())
        .collect();
    if cycles < order.len() {
        chunks.push(order[cycles..].iter().map(|(_, i)| *i).collect());
    }
    chunks
}

/// Groups accepted by earlier chunks.
#[derive(Default)]
struct Pending {
    /// Each group.
    groups: HashMap<Arc<str>, PackedGroup>,
    /// Parent to children.
    children: HashMap<String, BTreeSet<String>>,
    /// Each group's name, by a hash of the name as the store compares names
    /// (ASCII case folded), to find a name taken in an earlier chunk.
    names: BTreeSet<(u64, Arc<str>)>,
}

impl Pending {
    fn insert(&mut self, group: &CustomerGroup, packed: PackedGroup) {
        if let Some(parent) = &group.parent {
            self.children
                .entry(parent.clone())
                .or_default()
                .insert(group.code.clone());
        }
        let code = packed.shared_code();
        self.names.insert((name_hash(&group.name), code.clone()));
        self.groups.insert(code, packed);
    }

    /// A pending group other than `except` with this name.
    fn named(&self, name: &str, except: &str) -> Option<String> {
        let hash = name_hash(name);
        self.names
            .range((hash, Arc::from(""))..)
            .take_while(|(h, _)| *h == hash)
            .map(|(_, code)| code)
            .find(|code| {
                &***code != except
                    && self
                        .groups
                        .get(*code)
                        .is_some_and(|group| group.unpack().name.eq_ignore_ascii_case(name))
            })
            .map(|code| code.to_string())
    }
}

fn name_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    name.to_ascii_lowercase().hash(&mut hasher);
    hasher.finish()
}

/// The store's facts with the groups of earlier chunks laid over, so a chunk
/// sees its parents even before anything is written.
struct PendingFacts {
    db: Db,
    pending: Arc<Mutex<Pending>>,
}

impl PendingFacts {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Facts for PendingFacts {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Facts::find_account(&mut self.db, code)
    }
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError> {
        if let Some(group) = self.pending().groups.get(code) {
            return Ok(Some(group.unpack()));
        }
        Facts::find_group(&mut self.db, code)
    }
    fn find_group_named(&mut self, name: &str, except: &str) -> Result<Option<String>, FactsError> {
        if let Some(code) = self.pending().named(name, except) {
            return Ok(Some(code));
        }
        let stored = Facts::find_group_named(&mut self.db, name, except)?;
        // A stored group renamed in an earlier chunk no longer has the name.
        Ok(stored.filter(|code| !self.pending().groups.contains_key(code.as_str())))
    }
    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, FactsError> {
        Facts::reference_exists(&mut self.db, kind, code)
    }
    fn usage(&mut self, code: &str) -> Result<GroupUsage, FactsError> {
        Facts::usage(&mut self.db, code)
    }
    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, FactsError> {
        let stored = Facts::child_groups(&mut self.db, code)?;
        let pending = self.pending();
        let mut children: BTreeSet<String> = stored
            .into_iter()
            .filter(|c| {
                pending
                    .groups
                    .get(c.as_str())
                    .is_none_or(|group| group.unpack().parent.as_deref() == Some(code))
            })
            .collect();
        if let Some(more) = pending.children.get(code) {
            children.extend(more.iter().cloned());
        }
        Ok(children.into_iter().collect())
    }
    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, FactsError> {
        Facts::customers(&mut self.db, group)
    }
    fn ar_settings(&mut self) -> Result<Settings, FactsError> {
        Facts::ar_settings(&mut self.db)
    }
}

fn refused(mut report: Report, mut errors: Vec<Diagnostic>) -> Report {
    report.outcome = "refused";
    // Each file's errors in line order (the plugin's come parents first),
    // the files in the order their first error came.
    let mut rank: HashMap<PathBuf, usize> = HashMap::new();
    for e in &errors {
        let next = rank.len();
        rank.entry(e.file.clone()).or_insert(next);
    }
    errors.sort_by_key(|e| (rank[&e.file], e.line, e.column));
    report.errors = errors;
    report.steps.clear();
    report
}

/// Creates and updates with parents before children (then by code).
fn order(mut steps: Vec<Step>, stored: &HashMap<String, Stored>) -> Vec<Step> {
    // The parents the steps give; a step's group without one is a root (a
    // depth that counts a stale stored parent of such a group is too deep,
    // never too shallow: its children still come after it).
    let parent_of: HashMap<String, String> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Create { group, .. } | Step::Update { group, .. } | Step::Adopt { group, .. } => {
                Some((group.code().to_owned(), group.unpack().parent?))
            }
            _ => None,
        })
        .collect();
    let depth_of = |code: &str| {
        let mut depth = 0usize;
        let mut current = code;
        let mut seen = BTreeSet::new();
        while seen.insert(current) {
            let parent = match parent_of.get(current) {
                Some(parent) => Some(parent.as_str()),
                None => stored.get(current).and_then(|s| s.parent.as_deref()),
            };
            let Some(parent) = parent else { break };
            depth += 1;
            current = parent;
        }
        depth
    };
    steps.sort_unstable_by(|a, b| a.code().cmp(b.code()));
    // Stable: equal depths stay in code order.
    steps.sort_by_cached_key(|s| depth_of(s.code()));
    steps
}

/// How deep a stored group sits in the tree.
fn depth(code: &str, stored: &HashMap<String, Stored>) -> usize {
    let mut depth = 0;
    let mut current = stored.get(code).and_then(|s| s.parent.as_deref());
    while let Some(parent) = current {
        depth += 1;
        if depth > 64 {
            break;
        }
        current = stored.get(parent).and_then(|s| s.parent.as_deref());
    }
    depth
}

fn apply(
    admin: &Admin,
    options: &Options,
    report: &mut Report,
    started: &str,
) -> Result<(), ReconcileError> {
    let user = options.user.as_str();
    // The run is recorded in the steps' transaction: were the store to commit
    // without it, the run log would still name the previous files, and a
    // later run finding those files again would skip them as unchanged.
    report.outcome = "applied";
    let report = &*report;
    admin.db().write(|w| -> Result<(), ReconcileError> {
        for step in &report.steps {
            match step {
                Step::Create {
                    group,
                    file,
                    source,
                } => {
                    let record = w.create_group(&group.unpack(), user)?;
                    own(w.tx(), &record.group.code, record.version, file, source)?;
                }
                Step::Update {
                    group,
                    version,
                    file,
                    source,
                    ..
                } => {
                    let record = w.update_group(&group.unpack(), *version, user)?;
                    own(w.tx(), &record.group.code, record.version, file, source)?;
                }
                Step::Adopt {
                    group,
                    version,
                    file,
                    source,
                } => {
                    own(w.tx(), group.code(), *version, file, source)?;
                }
                Step::Deactivate { group, version } => {
                    let record = w.update_group(&group.unpack(), *version, user)?;
                    w.tx()
                        .prepare_cached(
                            "UPDATE sync_ledger SET removed = 1, applied_version = ?2, \
                             content_hash = '', applied_at = ?3 WHERE code = ?1",
                        )
                        .and_then(|mut stmt| {
                            stmt.execute(params![record.group.code, record.version, started])
                        })
                        .map_err(StoreError::from)?;
                }
                Step::Release { code } => {
                    w.tx()
                        .execute("DELETE FROM sync_ledger WHERE code = ?1", [code])
                        .map_err(StoreError::from)?;
                }
                Step::Delete { code, version } => {
                    w.delete_group(code, *version)?;
                    w.tx()
                        .execute("DELETE FROM sync_ledger WHERE code = ?1", [code])
                        .map_err(StoreError::from)?;
                }
            }
        }
        record_run_on(w.tx(), report, started)?;
        Ok(())
    })?;
    Ok(())
}

/// Records that the daemon owns `code` as written in `file`.
fn own(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    version: i64,
    file: &str,
    digest: &[u8; 32],
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_ledger (code, source_file, content_hash, applied_version, applied_at, removed) \
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0) \
         ON CONFLICT (code) DO UPDATE SET source_file = excluded.source_file, \
         content_hash = excluded.content_hash, applied_version = excluded.applied_version, \
         applied_at = excluded.applied_at, removed = 0",
    )?
    .execute(params![code, file, hex(digest), version])?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest a ledger row records, if it is one.
fn unhex(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (byte, pair) in out.iter_mut().zip(text.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

fn load_ledger(admin: &Admin) -> Result<BTreeMap<String, Owned>, StoreError> {
    let conn = admin.db().conn();
    let mut stmt = conn.prepare(
        "SELECT code, source_file, content_hash, applied_version, removed FROM sync_ledger",
    )?;
    // Many groups share a file: one copy of each name.
    let mut files: HashMap<String, Arc<str>> = HashMap::new();
    let mut ledger = BTreeMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let file: String = row.get(1)?;
        let file = files
            .entry(file)
            .or_insert_with_key(|name| Arc::from(name.as_str()))
            .clone();
        let owned = Owned {
            file,
            digest: unhex(row.get_ref(2)?.as_str().unwrap_or_default()),
            applied_version: row.get(3)?,
            removed: row.get(4)?,
        };
        ledger.insert(row.get(0)?, owned);
    }
    Ok(ledger)
}

fn last_good_digest(admin: &Admin) -> Result<Option<String>, StoreError> {
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

/// Owned groups edited or deleted in the host since the daemon applied them.
pub fn drifted_codes(db: &Db) -> Result<Vec<String>, StoreError> {
    let conn = db.conn();
    let mut stmt = conn.prepare(
        "SELECT l.code FROM sync_ledger l LEFT JOIN customer_groups g ON g.code = l.code \
         WHERE l.removed = 0 AND (g.code IS NULL OR g.version <> l.applied_version) ORDER BY l.code",
    )?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn now(admin: &Admin) -> Result<String, StoreError> {
    Ok(admin
        .db()
        .conn()
        .query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |row| {
            row.get(0)
        })?)
}

fn record_run(admin: &Admin, report: &Report, started: &str) -> Result<(), StoreError> {
    record_run_on(&admin.db().conn(), report, started)
}

/// Records a run through `conn` (an applied one inside its transaction).
fn record_run_on(
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

/// The store's clock, as the run log records times.
pub fn store_now(admin: &Admin) -> Result<String, StoreError> {
    now(admin)
}
