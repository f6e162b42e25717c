//! Turning the plugin's verdicts into steps: create, update, adopt,
//! deactivate, delete or release, with drift and the removal guard.

use std::collections::HashMap;
use std::sync::Arc;

use host_harness::Admin;
use host_harness::store::GroupRecord;
use host_harness::wit::{Change, Issue, Severity};

use crate::companies::Companies;
use crate::diag::Diagnostic;
use crate::error::ReconcileError;
use crate::ledger::Ledger;
use crate::options::{DriftMode, Options};
use crate::packed::PackedGroup;
use crate::parse::Config;
use crate::parse::declaration::Declaration;
use crate::plan::order::{depth, order};
use crate::plan::work::Stored;
use crate::report::{Drift, Report, Step, refused};

/// What was made of a declaration: the plugin's verdict on it, the rights
/// of the daemon's user, what it sets per company.
pub struct Judged {
    /// The plugin's issues (with those of each company's settings, at
    /// `company.BETA.<field>`).
    pub issues: Vec<Issue>,
    /// The group as the plugin normalised it; none when refused.
    pub accepted: Option<PackedGroup>,
    /// The fields its write would change that the daemon's user may not:
    /// errors if it is written, nothing if it is not (drift only reported).
    pub refused: Vec<Issue>,
    /// What it sets per company, as the plugin normalised it.
    pub companies: Companies,
    /// What the host's group sets per company.
    pub stored: Companies,
}

/// The plan being built from the plugin's verdicts.
pub struct Planner<'a> {
    admin: &'a Admin,
    options: &'a Options,
    config: &'a Config,
    ledger: &'a Ledger,
    /// Each config file's name, shared by its steps.
    files: Vec<Arc<str>>,
    /// The report so far (counts of unchanged groups, warnings, drift).
    pub report: Report,
    /// The errors found so far: any refuses the plan.
    pub errors: Vec<Diagnostic>,
    declared: Vec<Step>,
    removals: Vec<Step>,
}

impl<'a> Planner<'a> {
    /// A plan of `config` against the store `admin` has, owned as `ledger`
    /// says, adding to `report`.
    pub fn new(
        admin: &'a Admin,
        options: &'a Options,
        config: &'a Config,
        ledger: &'a Ledger,
        report: Report,
    ) -> Self {
        Self {
            admin,
            options,
            config,
            ledger,
            files: config
                .files
                .iter()
                .map(|f| Arc::from(f.path.display().to_string()))
                .collect(),
            report,
            errors: Vec::new(),
            declared: Vec::new(),
            removals: Vec::new(),
        }
    }

    /// Makes room for the steps of `work` items.
    pub fn reserve(&mut self, work: usize) {
        self.declared.reserve_exact(work);
    }

    /// The step for a declaration, given what was made of it.
    pub fn declared(
        &mut self,
        decl: &Declaration,
        existing: Option<&str>,
        record: Option<GroupRecord>,
        judged: Judged,
    ) {
        let Judged {
            issues,
            accepted,
            refused,
            companies,
            stored,
        } = judged;
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
                if self.refuses(decl, refused) {
                    return;
                }
                self.declared.push(Step::Create {
                    group,
                    file,
                    companies,
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
        if PackedGroup::new(&record.group) == group && companies == stored {
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
        if self.refuses(decl, refused) {
            return;
        }
        // Written only where it differs from what the host's group sets.
        let companies = (companies != stored).then_some(companies);
        self.declared.push(Step::Update {
            group,
            version: record.version,
            file,
            reason,
            companies,
            source,
        });
    }

    /// Files `refused` (fields the write would change that the daemon's
    /// user may not) as errors at `decl`'s keys; whether there were any.
    fn refuses(&mut self, decl: &Declaration, refused: Vec<Issue>) -> bool {
        let any = !refused.is_empty();
        for issue in refused {
            let diag = self.config.diagnostic(decl, &issue.field, issue.message);
            self.errors
                .push(diag.with_help(format!("rule {}", issue.rule)));
        }
        any
    }

    /// The step for a group no file declares any more, given whether the
    /// plugin lets it go inactive.
    pub fn removed(
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
    pub fn finish(self, stored: &HashMap<String, Stored>) -> Result<Report, ReconcileError> {
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
