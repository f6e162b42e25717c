//! Applying a plan: every step and the run's record in one SQLite
//! transaction, parents before children.

use host_harness::Admin;
use host_harness::actor::{By, Via};

use crate::error::ReconcileError;
use crate::ledger;
use crate::options::Options;
use crate::report::{Report, Step};

/// Applies `report`'s steps for `options.user`, with the run that started
/// at `started` recorded in the same transaction as `applied`.
pub fn apply(
    admin: &Admin,
    options: &Options,
    report: &mut Report,
    started: &str,
) -> Result<(), ReconcileError> {
    let user = options.user.as_str();
    // Who the change history names: this daemon's user, and for a group a
    // file declares, that file.
    fn from<'a>(user: &'a str, file: Option<&'a str>) -> By<'a> {
        By {
            user,
            via: Via::Daemon,
            source: file,
        }
    }
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
                    companies,
                    source,
                } => {
                    let group = group.unpack();
                    let by = from(user, Some(file));
                    let mut version = w.put_group(&group, None, by)?;
                    if !companies.is_empty() {
                        let rows = companies.rows();
                        let code = &group.code;
                        if let Some(now) = w.replace_group_company_settings(code, &rows, by)? {
                            version = now;
                        }
                    }
                    ledger::own(w, &group.code, version, file, source)?;
                }
                Step::Update {
                    group,
                    version,
                    file,
                    companies,
                    source,
                    ..
                } => {
                    let group = group.unpack();
                    let by = from(user, Some(file));
                    let mut version = w.put_group(&group, Some(*version), by)?;
                    if let Some(companies) = companies {
                        let rows = companies.rows();
                        let code = &group.code;
                        if let Some(now) = w.replace_group_company_settings(code, &rows, by)? {
                            version = now;
                        }
                    }
                    ledger::own(w, &group.code, version, file, source)?;
                }
                Step::Adopt {
                    group,
                    version,
                    file,
                    source,
                } => {
                    ledger::own(w, group.code(), *version, file, source)?;
                }
                Step::Deactivate { group, version } => {
                    let group = group.unpack();
                    let version = w.put_group(&group, Some(*version), from(user, None))?;
                    ledger::mark_removed(w.tx(), &group.code, version, started)?;
                }
                Step::Release { code } => ledger::release(w.tx(), code)?,
                Step::Delete { code, version } => {
                    w.delete_group(code, *version, from(user, None))?;
                    ledger::release(w.tx(), code)?;
                }
            }
        }
        ledger::record_run_on(w.tx(), report, started)?;
        Ok(())
    })?;
    Ok(())
}
