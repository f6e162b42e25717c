//! Putting the work to the plugin, a chunk at a time, parents first, and
//! taking its verdicts: each chunk sees the groups accepted in earlier ones
//! (see [`PendingFacts`]).
//!
//! Two chunks are put at once, on two threads: the second is validated
//! ahead, beside the first, noting what it asked of the pending groups
//! ([`Asked`]). Once the first's groups are pending, the second's verdicts
//! stand only if none of those groups could have changed an answer it got
//! ([`Asked::affected_by`]); otherwise it is validated again, after the
//! first, as if nothing had been done ahead. The plan is the same either
//! way; in a first sync (chunks side by side in the tree, names new) it is
//! found in about half the time.

use std::sync::{Arc, Mutex, PoisonError};

use host_harness::rights;
use host_harness::store::{GroupRecord, Held};
use host_harness::wit::{Change, FormDefinition, Verdict};
use host_harness::{Admin, PluginError};

use crate::diag::Diagnostic;
use crate::error::ReconcileError;
use crate::options::Options;
use crate::packed::PackedGroup;
use crate::parse::Config;
use crate::plan::companies::CompanyCheck;
use crate::plan::culprits::{culprits, per_record};
use crate::plan::pending::{Accepted, Asked, Pending, PendingFacts};
use crate::plan::planner::{Judged, Planner};
use crate::plan::work::Work;

/// One chunk's changes, each with its work item, the stored code it
/// updates (if any) and the stored record.
pub struct Chunk<'s> {
    /// The changes, as the plugin gets them.
    pub batch: Vec<Change>,
    /// For each change: its work item, the stored code it updates, the
    /// stored record.
    pub items: Vec<(usize, Option<&'s str>, Option<GroupRecord>)>,
}

/// Puts chunks to the plugin and hands their verdicts to the planner.
pub struct Verdicts<'a> {
    /// The host.
    pub admin: &'a Admin,
    /// The reconcile's options.
    pub options: &'a Options,
    /// The files.
    pub config: &'a Config,
    /// The work the chunks index.
    pub work: &'a [Work],
    /// The groups accepted so far.
    pub pending: Arc<Mutex<Pending>>,
    /// What the daemon's user may change, and the form that says which
    /// fields need which right: none when the user is no console user
    /// (the host's operator, who may change every field).
    pub rights: Option<(Held, FormDefinition)>,
    /// Checks what each declaration sets per company.
    pub companies: CompanyCheck<'a>,
}

/// What became of a chunk.
enum Taken {
    /// Its verdicts are planned; these are the groups it accepted.
    Planned(Accepted),
    /// A record failed the plugin alone: reported, and planning stops.
    Stopped,
}

impl Verdicts<'_> {
    /// Validates `chunks` in order, two at a time, into `planner`.
    pub fn run<'s>(
        &self,
        planner: &mut Planner<'_>,
        chunks: impl IntoIterator<Item = Result<Chunk<'s>, ReconcileError>>,
    ) -> Result<(), ReconcileError> {
        let mut chunks = chunks.into_iter();
        while let Some(first) = chunks.next() {
            let first = first?;
            let second = chunks.next().transpose()?;
            let (verdicts, ahead) = std::thread::scope(|scope| {
                let (admin, pending, locale) = (self.admin, &self.pending, &self.options.locale);
                let ahead = second.as_ref().map(|second| {
                    scope.spawn(move || validate_ahead(admin, pending, &second.batch, locale))
                });
                let verdicts = self.validate(&first.batch);
                // A thread that panicked is a defect of ours: let it show.
                let ahead = ahead.map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                });
                (verdicts, ahead)
            });
            let Taken::Planned(accepted) = self.take(planner, first, verdicts)? else {
                return Ok(());
            };
            let Some(second) = second else { break };
            let verdicts = match ahead {
                Some(Ok((verdicts, asked))) if !asked.affected_by(&accepted) => Ok(verdicts),
                _ => self.validate(&second.batch),
            };
            if let Taken::Stopped = self.take(planner, second, verdicts)? {
                return Ok(());
            }
        }
        Ok(())
    }

    fn validate(&self, batch: &[Change]) -> Result<Vec<Verdict>, PluginError> {
        let facts = Box::new(PendingFacts::new(
            self.admin.db().clone(),
            self.pending.clone(),
        ));
        self.admin
            .plugin()
            .validate_many(facts, batch, &self.options.locale)
    }

    /// Plans a chunk's verdicts, its accepted groups made pending; or, when
    /// a record failed the plugin alone, reports which.
    fn take(
        &self,
        planner: &mut Planner<'_>,
        chunk: Chunk<'_>,
        verdicts: Result<Vec<Verdict>, PluginError>,
    ) -> Result<Taken, ReconcileError> {
        let (config, work) = (self.config, self.work);
        let Chunk { batch, items } = chunk;
        let verdicts = match verdicts {
            Ok(verdicts) => verdicts,
            // One record too big for the plugin fails the whole call: find
            // it, and say which group in which file.
            Err(e) if per_record(&e) => {
                let found = culprits(self.admin, &self.pending, &batch, e, &self.options.locale)?;
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
                            &self.options.dir,
                            format!(
                                "the plugin could not check the removal of group {code}: {error}"
                            ),
                        ),
                    };
                    planner.errors.push(message);
                }
                return Ok(Taken::Stopped);
            }
            Err(e) => return Err(e.into()),
        };
        drop(batch);
        let mut accepted = Accepted::default();
        for ((i, existing, record), verdict) in items.into_iter().zip(verdicts) {
            let declared = match &work[i] {
                Work::Declared { decl, .. } => Some(&config.groups[*decl].group),
                Work::Removed { .. } => None,
            };
            // The fields this group's write would change that the daemon's
            // user may not: the planner refuses them if it writes.
            let refused = match (&self.rights, &verdict.normalized, declared) {
                (Some((held, form)), Some(group), Some(_)) => {
                    rights::refused(form, held, record.as_ref().map(|r| &r.group), group)
                }
                _ => Vec::new(),
            };
            let packed = verdict.normalized.map(|group| {
                // Most groups are declared as the plugin normalises them:
                // share the declaration's bytes rather than hold a copy.
                let packed = match (PackedGroup::new(&group), declared) {
                    (packed, Some(declared)) if packed == *declared => declared.clone(),
                    (packed, _) => packed,
                };
                accepted.add(&group);
                self.pending
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(&group, packed.clone());
                packed
            });
            match &work[i] {
                Work::Declared { decl, .. } => {
                    let decl = &config.groups[*decl];
                    let checked =
                        self.companies
                            .check(&decl.companies, existing, self.rights.as_ref())?;
                    let mut issues = verdict.issues;
                    issues.extend(checked.issues);
                    let mut refused = refused;
                    refused.extend(checked.refused);
                    let judged = Judged {
                        issues,
                        accepted: packed,
                        refused,
                        companies: checked.companies,
                        stored: checked.stored,
                    };
                    planner.declared(decl, existing, record, judged);
                }
                Work::Removed { .. } => {
                    if let Some(record) = record {
                        planner.removed(record, verdict.issues, packed.is_some())?;
                    }
                }
            }
        }
        Ok(Taken::Planned(accepted))
    }
}

/// Validates `batch` over the pending groups as they are, noting what it
/// asked of them.
fn validate_ahead(
    admin: &Admin,
    pending: &Arc<Mutex<Pending>>,
    batch: &[Change],
    locale: &str,
) -> Result<(Vec<Verdict>, Asked), PluginError> {
    let asked = Arc::new(Mutex::new(Asked::default()));
    let facts = Box::new(PendingFacts::recording(
        admin.db().clone(),
        pending.clone(),
        asked.clone(),
    ));
    let verdicts = admin.plugin().validate_many(facts, batch, locale)?;
    let asked = std::mem::take(&mut *asked.lock().unwrap_or_else(PoisonError::into_inner));
    Ok((verdicts, asked))
}
