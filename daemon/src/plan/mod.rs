//! Planning: the directory scanned and parsed, every declaration that
//! changed since it was applied (and every owned group no file declares
//! any more) put to the plugin in chunks, parents first, and its verdicts
//! turned into steps. Nothing is written.

pub mod companies;
pub mod culprits;
pub mod order;
pub mod pending;
pub mod planner;
pub mod verdicts;
pub mod work;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use host_harness::Admin;
use host_harness::store::Held;
use host_harness::wit::{Change, Update};

use crate::error::ReconcileError;
use crate::ledger;
use crate::options::Options;
use crate::parse::{self, schema::Schema};
use crate::plan::companies::CompanyCheck;
use crate::plan::order::{Keys, parents_first};
use crate::plan::pending::Pending;
use crate::plan::planner::Planner;
use crate::plan::verdicts::{Chunk, Verdicts};
use crate::plan::work::{Stored, Work};
use crate::report::{Report, refused};
use crate::scan;

/// Plans a reconcile without writing anything.
///
/// Memory stays proportional to the number of groups times a few dozen
/// bytes: declarations and steps hold groups packed, the store is read as a
/// slim index (full records only for groups that change), and the plugin
/// sees the work in chunks.
pub fn plan(admin: &Admin, options: &Options) -> Result<Report, ReconcileError> {
    let mut report = Report {
        outcome: "unchanged",
        drift_mode: options.drift.as_str(),
        ..Report::default()
    };
    let locale = host_harness::messages::Locale::from_tag(&options.locale);
    let (files, digest) = match scan::scan(&options.dir, locale) {
        Ok(scanned) => scanned,
        Err(errors) => return Ok(refused(report, errors)),
    };
    report.digest = digest;
    let ledger = ledger::load(admin)?;
    // Nothing changed in the files since the last good run, and nothing
    // drifted: no need to parse, let alone validate.
    if ledger::last_good_digest(admin)?.as_deref() == Some(report.digest.as_str())
        && admin.db().drifted_codes()?.is_empty()
    {
        report.unchanged = ledger.values().filter(|o| !o.removed).count();
        return Ok(report);
    }
    // The keys a file may hold are the installed plugin's form's fields.
    let form = admin.plugin().form(admin.db().facts(), "en")?;
    let per_company = host_harness::fields::per_company(&form);
    let config = match parse::parse_with(files, Schema::from_form(&form).in_locale(locale)) {
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
    // call, and so is the form codes are compared in: the plugin's
    // normalisation, asked once for every stored and declared code. Stored
    // codes are normally in that form already; any that is not is found
    // through this (usually empty) map.
    let mut keys = Keys::new(admin);
    keys.learn(
        stored
            .keys()
            .map(String::as_str)
            .chain(config.groups.iter().map(|decl| decl.group.code())),
    )?;
    let aliases: HashMap<String, &str> = stored
        .keys()
        .filter(|code| keys.key(code) != code.as_str())
        .map(|code| (keys.key(code).to_owned(), code.as_str()))
        .collect();
    let stored_code = |keys: &Keys<'_>, code: &str| -> Option<&str> {
        let key = keys.key(code);
        match stored.get_key_value(key) {
            Some((code, _)) => Some(code.as_str()),
            None => aliases.get(key).copied(),
        }
    };

    // Every declaration that changed since it was applied (or is new) goes
    // to the plugin, with the deactivations the files' silence asks for. A
    // declaration exactly as applied, on a group nobody edited since, is
    // unchanged without asking.
    let mut planner = Planner::new(admin, options, &config, &ledger, report);
    let mut work = Vec::new();
    let mut declared_codes: HashMap<&str, usize> = HashMap::new();
    for (i, decl) in config.groups.iter().enumerate() {
        let existing = stored_code(&keys, decl.group.code());
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
            && owned.digest.is_some_and(|d| {
                let per_company = !decl.companies.is_empty();
                d.matches(
                    &decl.digest,
                    || decl.group.unpack(),
                    decl.adopt,
                    per_company,
                )
            })
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
                !owned.removed && !declared_codes.contains_key(code) && stored.contains_key(*code)
            })
            .map(|(code, _)| Work::Removed { code: code.into() }),
    );
    drop(declared_codes);

    // The plugin's verdicts, a chunk at a time, parents first; each chunk
    // sees the groups accepted in earlier ones (see [`verdicts`]).
    let chunks = parents_first(&work, &config, &stored, &mut keys)?;
    let chunk = |indices: Vec<usize>| -> Result<Chunk<'_>, ReconcileError> {
        let mut batch = Vec::with_capacity(indices.len());
        let mut items = Vec::with_capacity(indices.len());
        for i in indices {
            match &work[i] {
                Work::Declared { decl, existing } => {
                    let group = config.groups[*decl].group.unpack();
                    match existing.then(|| stored_code(&keys, &group.code)).flatten() {
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
        Ok(Chunk { batch, items })
    };
    let held = admin.db().held(&options.user)?;
    let rights = match held {
        Held::NoUser => None,
        held => Some((
            held,
            admin.plugin().form(admin.db().facts(), &options.locale)?,
        )),
    };
    let verdicts = Verdicts {
        admin,
        options,
        config: &config,
        work: &work,
        pending: Arc::new(Mutex::new(Pending::default())),
        rights,
        companies: CompanyCheck {
            admin,
            locale: &options.locale,
            fields: per_company,
            several: admin.db().several_companies()?,
        },
    };
    planner.reserve(work.len());
    verdicts.run(&mut planner, chunks.into_iter().map(chunk))?;
    drop(verdicts);
    planner.finish(&stored)
}
