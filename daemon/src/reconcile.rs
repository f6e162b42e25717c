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

use host_harness::store::{GroupQuery, GroupRecord, StoreError};
use host_harness::wit::{
    Account, Change, Customer, CustomerGroup, GroupUsage, ReferenceKind, Settings, Severity,
    Update, Verdict,
};
use host_harness::{Admin, Facts, PluginError};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config;
use crate::diag::Diagnostic;

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
        group: CustomerGroup,
        /// The file declaring it.
        file: String,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: String,
    },
    /// Update a group to the files' values.
    Update {
        /// The new values.
        group: CustomerGroup,
        /// The version it replaces.
        version: i64,
        /// The file declaring it.
        file: String,
        /// Why: `changed`, `adopted` or `restored` (drift).
        reason: &'static str,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: String,
    },
    /// Take over a group the host has, already as declared (`adopt = true`):
    /// only ownership is recorded.
    Adopt {
        /// The group.
        group: CustomerGroup,
        /// Its version.
        version: i64,
        /// The file declaring it.
        file: String,
        /// Digest of the declaration as written.
        #[serde(skip)]
        source: String,
    },
    /// Deactivate a group no file declares any more.
    Deactivate {
        /// The group, inactive.
        group: CustomerGroup,
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
    /// The group the step touches.
    pub fn code(&self) -> &str {
        match self {
            Step::Create { group, .. }
            | Step::Update { group, .. }
            | Step::Adopt { group, .. }
            | Step::Deactivate { group, .. } => &group.code,
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

/// What the daemon last wrote for a group.
struct Owned {
    file: String,
    /// Digest of the declaration as written when last applied.
    content_hash: String,
    applied_version: i64,
    removed: bool,
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

/// Plans a reconcile without writing anything.
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
        && drifted_codes(admin)?.is_empty()
    {
        report.unchanged = ledger.values().filter(|o| !o.removed).count();
        return Ok(report);
    }
    let config = match config::parse(files) {
        Ok(config) => config,
        Err((_, errors)) => return Ok(refused(report, errors)),
    };
    let stored: HashMap<String, GroupRecord> = admin
        .db()
        .groups(&GroupQuery::default())?
        .groups
        .into_iter()
        .map(|r| (r.group.code.clone(), r))
        .collect();
    // How people type codes is forgiving; what a code may be is the plugin's call.
    let lookup: HashMap<String, &str> = stored
        .keys()
        .map(|code| (code.trim().to_uppercase(), code.as_str()))
        .collect();

    // One bulk validation of every declaration that changed since it was
    // applied (or is new), and of the deactivations the files' silence asks
    // for. A declaration exactly as applied, on a group nobody edited since,
    // is unchanged without asking.
    let mut changes = Vec::with_capacity(config.groups.len());
    let mut checked = Vec::with_capacity(config.groups.len());
    let mut declared_codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for (i, decl) in config.groups.iter().enumerate() {
        let source = source_hash(decl);
        let existing = lookup.get(&decl.group.code.trim().to_uppercase()).copied();
        if let Some(code) = existing
            && let Some(first) = declared_codes.insert(code.to_owned(), i)
        {
            let at = config.diagnostic(&config.groups[first], "code", "");
            errors.push(
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
            && owned.content_hash == source
            && owned.applied_version == record.version
        {
            report.unchanged += 1;
            continue;
        }
        checked.push((decl, source));
        match existing {
            Some(code) => {
                if !ledger.contains_key(code) && !decl.adopt {
                    errors.push(
                        config
                            .diagnostic(decl, "code", format!("group {code} already exists in the host and is not managed by these files"))
                            .with_help("add `adopt = true` to this group to take it over"),
                    );
                }
                changes.push(Change::Update(Update {
                    code: code.to_owned(),
                    proposed: decl.group.clone(),
                }));
            }
            None => changes.push(Change::Create(decl.group.clone())),
        }
    }
    let removed: Vec<&GroupRecord> = ledger
        .iter()
        .filter(|(code, owned)| !owned.removed && !declared_codes.contains_key(*code))
        .filter_map(|(code, _)| stored.get(code))
        .collect();
    let mut removal_changes = Vec::new();
    for record in &removed {
        let mut inactive = record.group.clone();
        inactive.inactive = true;
        removal_changes.push(Change::Update(Update {
            code: record.group.code.clone(),
            proposed: inactive,
        }));
    }
    let declared = changes.len();
    changes.extend(removal_changes);
    let mut verdicts = validate_in_chunks(admin, &changes, &options.locale)?;
    let removal_verdicts = verdicts.split_off(declared.min(verdicts.len()));
    // What kind of change each declaration was; the groups themselves are done with.
    let kinds: Vec<Option<String>> = changes
        .into_iter()
        .take(declared)
        .map(|c| match c {
            Change::Update(u) => Some(u.code),
            _ => None,
        })
        .collect();

    let mut steps_declared = Vec::new();
    for (((decl, source), verdict), updated) in checked.iter().zip(verdicts).zip(kinds) {
        let (decl, source) = (*decl, source.clone());
        for issue in &verdict.issues {
            let diag = config.diagnostic(decl, &issue.field, issue.message.clone());
            match issue.severity {
                Severity::Error => errors.push(diag.with_help(format!("rule {}", issue.rule))),
                Severity::Warning => report.warnings.push(format!(
                    "{}:{}:{}: {} [{}]",
                    diag.file.display(),
                    diag.line,
                    diag.column,
                    issue.message,
                    issue.rule
                )),
            }
        }
        let Some(group) = verdict.normalized else {
            continue;
        };
        let file = config.files[decl.file].path.display().to_string();
        match (updated, stored.get(&group.code)) {
            (None, _) => {
                if let Some(owned) = ledger.get(&group.code) {
                    // Owned, but gone from the host: deleted there.
                    report.drift.push(Drift {
                        code: group.code.clone(),
                        file: owned.file.clone(),
                        detail: "deleted in the host".into(),
                    });
                    if options.drift == DriftMode::Report {
                        continue;
                    }
                }
                steps_declared.push(Step::Create {
                    group,
                    file,
                    source,
                });
            }
            (_, Some(record)) => {
                let owned = ledger.get(&group.code);
                if record.group == group {
                    if owned.is_none_or(|o| o.removed) {
                        steps_declared.push(Step::Adopt {
                            group,
                            version: record.version,
                            file,
                            source,
                        });
                    } else if owned.is_some_and(|o| o.applied_version == record.version) {
                        // Written differently, same group: remember the new text.
                        steps_declared.push(Step::Adopt {
                            group,
                            version: record.version,
                            file,
                            source,
                        });
                    } else {
                        report.unchanged += 1;
                    }
                    continue;
                }
                let drifted =
                    owned.is_some_and(|o| o.applied_version != record.version && !o.removed);
                let reason = if owned.is_none() {
                    "adopted"
                } else if drifted {
                    report.drift.push(Drift {
                        code: group.code.clone(),
                        file: file.clone(),
                        detail: format!(
                            "edited in the host by {} at {} (version {})",
                            record.updated_by, record.updated_at, record.version
                        ),
                    });
                    if options.drift == DriftMode::Report {
                        continue;
                    }
                    "restored"
                } else {
                    "changed"
                };
                steps_declared.push(Step::Update {
                    group,
                    version: record.version,
                    file,
                    reason,
                    source,
                });
            }
            (Some(code), None) => {
                // Deleted between our read and now: report, retry next time.
                report
                    .warnings
                    .push(format!("group {code} vanished while planning"));
            }
        }
    }
    let mut removal_steps = Vec::new();
    for (record, verdict) in removed.iter().zip(&removal_verdicts) {
        let code = &record.group.code;
        if verdict.normalized.is_none() {
            // The plugin will not let it go inactive (the default group, say):
            // stop managing it and leave it as it is.
            let why: Vec<&str> = verdict.issues.iter().map(|i| i.message.as_str()).collect();
            report.warnings.push(format!(
                "{code} is no longer declared; released as it is (cannot be deactivated: {})",
                why.join("; ")
            ));
            removal_steps.push(Step::Release { code: code.clone() });
            continue;
        }
        if options.prune {
            let delete = admin.plugin().validate(
                admin.db().facts(),
                &Change::Delete(code.clone()),
                &options.locale,
            )?;
            if delete.issues.iter().all(|i| i.severity != Severity::Error) {
                removal_steps.push(Step::Delete {
                    code: code.clone(),
                    version: record.version,
                });
                continue;
            }
            let why: Vec<&str> = delete.issues.iter().map(|i| i.message.as_str()).collect();
            report.warnings.push(format!(
                "{code} kept (deactivated) instead of deleted: {}",
                why.join("; ")
            ));
        }
        if record.group.inactive {
            continue;
        }
        let mut group = record.group.clone();
        group.inactive = true;
        removal_steps.push(Step::Deactivate {
            group,
            version: record.version,
        });
    }

    // The mass-removal guard.
    let owned = ledger.values().filter(|o| !o.removed).count();
    let removing = removal_steps.len();
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
        report.steps.clear();
        return Ok(refused(report, errors));
    }
    report.steps = order(steps_declared, &stored);
    // Deletions children first.
    removal_steps.sort_by_key(|s| std::cmp::Reverse(depth(s.code(), &stored)));
    report.steps.extend(removal_steps);
    Ok(report)
}

/// The most changes sent to the plugin in one call: bounds the plugin's
/// memory. Larger batches go in chunks, parents first, each chunk seeing the
/// groups accepted in earlier ones (see [`PendingFacts`]).
const CHUNK: usize = 5_000;

fn validate_in_chunks(
    admin: &Admin,
    changes: &[Change],
    locale: &str,
) -> Result<Vec<Verdict>, ReconcileError> {
    if changes.len() <= CHUNK {
        return Ok(admin
            .plugin()
            .validate_many(admin.db().facts(), changes, locale)?);
    }
    let pending = Arc::new(Mutex::new(Pending::default()));
    let mut verdicts: Vec<Option<Verdict>> = vec![None; changes.len()];
    for chunk in parents_first(changes).chunks(CHUNK) {
        let batch: Vec<Change> = chunk.iter().map(|&i| changes[i].clone()).collect();
        let facts = Box::new(PendingFacts {
            db: admin.db().clone(),
            pending: pending.clone(),
        });
        let out = admin.plugin().validate_many(facts, &batch, locale)?;
        let mut accepted = pending.lock().unwrap_or_else(PoisonError::into_inner);
        for (&i, verdict) in chunk.iter().zip(out) {
            if let Some(group) = &verdict.normalized {
                accepted.insert(group.clone());
            }
            verdicts[i] = Some(verdict);
        }
    }
    Ok(verdicts.into_iter().flatten().collect())
}

/// Indices of `changes` ordered so that a group comes after the group it
/// names as parent (when both are in the batch).
fn parents_first(changes: &[Change]) -> Vec<usize> {
    let key = |code: &str| code.trim().to_uppercase();
    let group_of = |c: &Change| match c {
        Change::Create(g) => Some((key(&g.code), g.parent.as_deref().map(key))),
        Change::Update(u) => Some((key(&u.code), u.proposed.parent.as_deref().map(key))),
        Change::Delete(_) => None,
    };
    let parents: HashMap<String, Option<String>> = changes.iter().filter_map(group_of).collect();
    // Depth in the batch's tree; groups on or under a cycle go last, together,
    // so the plugin sees the whole cycle in one call and names it.
    let depth = |code: &str| {
        let mut depth = 0usize;
        let mut seen = BTreeSet::new();
        let mut current = code.to_owned();
        loop {
            if !seen.insert(current.clone()) {
                return usize::MAX - 1;
            }
            match parents.get(&current) {
                Some(Some(parent)) => {
                    depth += 1;
                    current = parent.clone();
                }
                _ => return depth,
            }
        }
    };
    let mut order: Vec<(usize, usize)> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (group_of(c).map_or(usize::MAX, |(code, _)| depth(&code)), i))
        .collect();
    order.sort();
    order.into_iter().map(|(_, i)| i).collect()
}

/// Groups accepted by earlier chunks of a batch.
#[derive(Default)]
struct Pending {
    groups: HashMap<String, CustomerGroup>,
    children: HashMap<String, BTreeSet<String>>,
}

impl Pending {
    fn insert(&mut self, group: CustomerGroup) {
        if let Some(parent) = &group.parent {
            self.children
                .entry(parent.clone())
                .or_default()
                .insert(group.code.clone());
        }
        self.groups.insert(group.code.clone(), group);
    }
}

/// The store's facts with the groups of earlier chunks laid over, so a chunk
/// sees its parents even before anything is written.
struct PendingFacts {
    db: host_harness::Db,
    pending: Arc<Mutex<Pending>>,
}

impl PendingFacts {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Facts for PendingFacts {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, StoreError> {
        Facts::find_account(&mut self.db, code)
    }
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, StoreError> {
        if let Some(group) = self.pending().groups.get(code) {
            return Ok(Some(group.clone()));
        }
        Facts::find_group(&mut self.db, code)
    }
    fn find_group_named(&mut self, name: &str, except: &str) -> Result<Option<String>, StoreError> {
        Facts::find_group_named(&mut self.db, name, except)
    }
    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, StoreError> {
        Facts::reference_exists(&mut self.db, kind, code)
    }
    fn usage(&mut self, code: &str) -> Result<GroupUsage, StoreError> {
        Facts::usage(&mut self.db, code)
    }
    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, StoreError> {
        let stored = Facts::child_groups(&mut self.db, code)?;
        let pending = self.pending();
        let mut children: BTreeSet<String> = stored
            .into_iter()
            .filter(|c| {
                pending
                    .groups
                    .get(c)
                    .is_none_or(|g| g.parent.as_deref() == Some(code))
            })
            .collect();
        if let Some(more) = pending.children.get(code) {
            children.extend(more.iter().cloned());
        }
        Ok(children.into_iter().collect())
    }
    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, StoreError> {
        Facts::customers(&mut self.db, group)
    }
    fn ar_settings(&mut self) -> Result<Settings, StoreError> {
        Facts::ar_settings(&mut self.db)
    }
}

fn refused(mut report: Report, errors: Vec<Diagnostic>) -> Report {
    report.outcome = "refused";
    report.errors = errors;
    report.steps.clear();
    report
}

/// Creates and updates with parents before children.
fn order(steps: Vec<Step>, stored: &HashMap<String, GroupRecord>) -> Vec<Step> {
    let parent_of: BTreeMap<String, Option<String>> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Create { group, .. } | Step::Update { group, .. } | Step::Adopt { group, .. } => {
                Some((group.code.clone(), group.parent.clone()))
            }
            _ => None,
        })
        .collect();
    let depth_of = |code: &str| {
        let mut depth = 0;
        let mut current = code.to_owned();
        let mut seen = BTreeSet::new();
        while seen.insert(current.clone()) {
            let parent = match parent_of.get(&current) {
                Some(parent) => parent.clone(),
                None => stored.get(&current).and_then(|r| r.group.parent.clone()),
            };
            let Some(parent) = parent else { break };
            depth += 1;
            current = parent;
        }
        depth
    };
    let mut keyed: Vec<(usize, Step)> =
        steps.into_iter().map(|s| (depth_of(s.code()), s)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code().cmp(b.1.code())));
    keyed.into_iter().map(|(_, s)| s).collect()
}

fn depth(code: &str, stored: &HashMap<String, GroupRecord>) -> usize {
    let mut depth = 0;
    let mut current = stored.get(code).and_then(|r| r.group.parent.clone());
    while let Some(parent) = current {
        depth += 1;
        if depth > 64 {
            break;
        }
        current = stored.get(&parent).and_then(|r| r.group.parent.clone());
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
    admin.db().write(|w| -> Result<(), ReconcileError> {
        for step in &report.steps {
            match step {
                Step::Create {
                    group,
                    file,
                    source,
                } => {
                    let record = w.create_group(group, user)?;
                    own(w.tx(), &record.group.code, record.version, file, source)?;
                }
                Step::Update {
                    group,
                    version,
                    file,
                    source,
                    ..
                } => {
                    let record = w.update_group(group, *version, user)?;
                    own(w.tx(), &record.group.code, record.version, file, source)?;
                }
                Step::Adopt {
                    group,
                    version,
                    file,
                    source,
                } => {
                    own(w.tx(), &group.code, *version, file, source)?;
                }
                Step::Deactivate { group, version } => {
                    let record = w.update_group(group, *version, user)?;
                    w.tx()
                        .execute(
                            "UPDATE sync_ledger SET removed = 1, applied_version = ?2, \
                             content_hash = '', applied_at = ?3 WHERE code = ?1",
                            params![record.group.code, record.version, started],
                        )
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
        Ok(())
    })?;
    report.outcome = "applied";
    record_run(admin, report, started)?;
    Ok(())
}

fn own(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    version: i64,
    file: &str,
    source: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO sync_ledger (code, source_file, content_hash, applied_version, applied_at, removed) \
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0) \
         ON CONFLICT (code) DO UPDATE SET source_file = excluded.source_file, \
         content_hash = excluded.content_hash, applied_version = excluded.applied_version, \
         applied_at = excluded.applied_at, removed = 0",
        params![code, file, source, version],
    )?;
    Ok(())
}

/// The digest of a declaration as written (its values, and whether it
/// adopts): equal digests need no new validation.
fn source_hash(decl: &config::Declaration) -> String {
    let json = serde_json::to_vec(&(&decl.group, decl.adopt)).unwrap_or_default();
    Sha256::digest(json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn load_ledger(admin: &Admin) -> Result<BTreeMap<String, Owned>, StoreError> {
    let conn = admin.db().conn();
    let mut stmt = conn.prepare(
        "SELECT code, source_file, content_hash, applied_version, removed FROM sync_ledger",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            Owned {
                file: row.get(1)?,
                content_hash: row.get(2)?,
                applied_version: row.get(3)?,
                removed: row.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
pub fn drifted_codes(admin: &Admin) -> Result<Vec<String>, StoreError> {
    let conn = admin.db().conn();
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
    let outcome = match report.outcome {
        "applied" | "unchanged" | "refused" => report.outcome,
        _ => "failed",
    };
    let digest = (!report.digest.is_empty()).then_some(report.digest.as_str());
    // The run log keeps what a reader of `status` needs, not every group written.
    let json = serde_json::to_string(&serde_json::json!({
        "errors": report.errors,
        "warnings": report.warnings,
        "drift": report.drift,
        "steps": report.steps.len(),
    }))
    .unwrap_or_else(|_| "{}".into());
    admin.db().conn().execute(
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

/// Records a reconcile that could not run (the store or the plugin failed).
pub fn record_failure(admin: &Admin, error: &ReconcileError) {
    let report = Report {
        outcome: "failed",
        warnings: vec![error.to_string()],
        ..Report::default()
    };
    let _ = now(admin).and_then(|started| record_run(admin, &report, &started));
}
