//! The validation entry point: arbitrary groups, changes and AR settings
//! through the plugin (bulk and single), then through the host's validated
//! writes.

use host_harness::AdminError;
use host_harness::wit::{Change, CustomerGroup, Issue, Severity, Update, Verdict};

use super::input::{CODES, Gen, LOCALES};
use super::{
    Fresh, Template, check_tree, code_ok, dump, fresh, fuzz_actor, groups_state, name_ok, trace,
};

/// Codes of the groups in the company template, to start edits from.
const STORED: &[&str] = &[
    "0000", "LOKAL", "L001", "VIP", "EXPO", "EXPORT", "NODE2", "D1", "JP",
];

/// Invariants:
///
/// - the plugin never fails (traps, runs out of fuel, memory or time) on a
///   handful of changes;
/// - `validate-many` answers one verdict per change;
/// - a verdict carries a normalised record exactly when it has no error
///   (none for a delete), and an accepted record obeys the code and name
///   rules (for `validate-many`, when the whole batch is accepted: a verdict
///   there holds for the batch applied together);
/// - a batch of one change gets the verdict the single call gives;
/// - normalising is a fixpoint: an accepted record, validated again, is
///   accepted unchanged;
/// - AR settings: `validate-defaults` accepts exactly when it has no error,
///   and the host stores exactly what it accepted;
/// - a write the host refuses leaves the store as it was; a create the
///   plugin accepts is saved as normalised; the tree stays well formed.
pub fn validate(data: &[u8]) {
    let fx = fresh(Template::Company);
    let mut g = Gen::new(data);
    let locale = g.text(LOCALES);
    let actor = fuzz_actor(&locale);
    let stored: Vec<CustomerGroup> = STORED
        .iter()
        .filter_map(|code| fx.db().group(code).expect("read a group"))
        .map(|r| r.group)
        .collect();

    if g.maybe(48) {
        ar_settings(&fx, &mut g, &locale);
    }

    let n = 1 + g.below(8);
    let changes: Vec<Change> = (0..n).map(|_| change(&mut g, &stored)).collect();
    let plugin = fx.admin.plugin();
    let db = fx.db();

    let bulk = plugin
        .validate_many(db.facts(), &changes, &locale)
        .unwrap_or_else(|e| panic!("validate-many failed on {n} changes: {e}\n{changes:#?}"));
    assert_eq!(
        bulk.len(),
        changes.len(),
        "validate-many answered {} verdicts for {} changes",
        bulk.len(),
        changes.len()
    );
    // A verdict of validate-many holds for the batch applied together: a
    // group accepted under a parent the same batch creates is only sound if
    // that creation is accepted too. So the records are checked only when
    // the whole batch is accepted.
    let batch_accepted = bulk.iter().all(|v| errors(&v.issues) == 0);
    for (change, verdict) in changes.iter().zip(&bulk) {
        check_verdict(change, verdict, "validate-many", batch_accepted);
    }

    for change in &changes {
        let single = plugin
            .validate(db.facts(), change, &locale)
            .unwrap_or_else(|e| panic!("validate failed: {e}\n{change:#?}"));
        check_verdict(change, &single, "validate", true);
        if changes.len() == 1 {
            assert_eq!(
                (errors(&single.issues) > 0, &single.normalized),
                (errors(&bulk[0].issues) > 0, &bulk[0].normalized),
                "a batch of one change got another verdict than the single call\n\
                 change: {change:#?}\nsingle: {single:#?}\nbulk: {:#?}",
                bulk[0]
            );
        }
        if let Some(normalized) = &single.normalized {
            let again = match change {
                Change::Create(_) => Change::Create(normalized.clone()),
                Change::Update(u) => Change::Update(Update {
                    code: u.code.clone(),
                    proposed: normalized.clone(),
                }),
                Change::Delete(_) => unreachable!("check_verdict: no record for a delete"),
            };
            let second = plugin
                .validate(db.facts(), &again, &locale)
                .unwrap_or_else(|e| panic!("validate failed: {e}\n{again:#?}"));
            assert!(
                second.normalized.as_ref() == Some(normalized),
                "normalising is not a fixpoint\nchange: {change:#?}\nfirst: {single:#?}\n\
                 again: {second:#?}"
            );
        }
    }

    for change in changes {
        write(&fx, change, &actor);
    }
    check_tree(fx.db(), "after validated writes");
}

/// New AR settings through `validate-defaults` and the host.
fn ar_settings(fx: &Fresh, g: &mut Gen<'_>, locale: &str) {
    let proposed = if g.chance(192) {
        let mut s = fx.db().ar_settings().expect("AR settings");
        for _ in 0..1 + g.below(3) {
            g.set_one(&mut s);
        }
        s
    } else {
        g.settings()
    };
    let (normalized, issues) = fx
        .admin
        .plugin()
        .validate_defaults(fx.db().facts(), &proposed, locale)
        .unwrap_or_else(|e| panic!("validate-defaults failed: {e}\n{proposed:#?}"));
    check_issues(&issues, "validate-defaults");
    assert_eq!(
        normalized.is_some(),
        errors(&issues) == 0,
        "validate-defaults: a normalised record exactly when there is no error\n{issues:#?}"
    );
    let before = dump(fx.db(), "SELECT settings FROM ar_settings");
    match fx.admin.set_ar_settings(proposed, &fuzz_actor(locale)) {
        Ok(_) => assert_eq!(
            Some(fx.db().ar_settings().expect("AR settings")),
            normalized,
            "the host stored other AR settings than the plugin accepted"
        ),
        Err(AdminError::Plugin(e)) => panic!("set_ar_settings: the plugin failed: {e}"),
        Err(e) => {
            assert!(
                normalized.is_none(),
                "accepted AR settings were refused: {e}"
            );
            assert_eq!(
                dump(fx.db(), "SELECT settings FROM ar_settings"),
                before,
                "refused AR settings were written: {e}"
            );
        }
    }
}

/// Codes a create may take: free in the template, mostly valid.
const NEW_CODES: &[&str] = &["NEW1", "NEW2", "A", "B9", "ZZZZZZZZ"];

/// Group nodes of the template: where a new group may go.
const NODES: &[&str] = &["LOKAL", "NODE2"];

/// A change: a create (from scratch, or a copy of a stored group under a
/// new code), an update of a stored group (or, rarely, of an unknown one or
/// with another group's values), or a delete.
fn change(g: &mut Gen<'_>, stored: &[CustomerGroup]) -> Change {
    match g.below(8) {
        0..=3 => {
            let mut group = if g.chance(160) || stored.is_empty() {
                let mut group = CustomerGroup::new(&g.text(NEW_CODES), &g.name());
                group.parent = g.opt_text(NODES);
                group
            } else {
                let mut group = g.pick(stored);
                group.code = g.text(NEW_CODES);
                group
            };
            mutate(g, &mut group);
            Change::Create(group)
        }
        4..=6 => {
            let code = if g.chance(230) {
                g.pick(STORED).to_owned()
            } else {
                g.text(CODES)
            };
            let mut proposed = match stored.iter().find(|s| s.code == code) {
                Some(group) if g.chance(230) => group.clone(),
                _ if !stored.is_empty() => g.pick(stored),
                _ => CustomerGroup::new(&code, &g.name()),
            };
            mutate(g, &mut proposed);
            Change::Update(Update { code, proposed })
        }
        _ => Change::Delete(if g.chance(160) {
            g.pick(STORED).to_owned()
        } else {
            g.text(CODES)
        }),
    }
}

/// A few fields of `group` changed.
fn mutate(g: &mut Gen<'_>, group: &mut CustomerGroup) {
    for _ in 0..g.below(5) {
        match g.below(10) {
            0 => group.code = g.text(CODES),
            1 => group.name = g.name(),
            2 => group.parent = g.opt_text(CODES),
            3 => group.is_group = !group.is_group,
            4 => group.inactive = !group.inactive,
            _ => g.set_one(&mut group.settings),
        }
    }
}

fn errors(issues: &[Issue]) -> usize {
    issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count()
}

fn check_issues(issues: &[Issue], context: &str) {
    for issue in issues {
        assert!(
            !issue.field.is_empty() && !issue.rule.is_empty() && !issue.message.trim().is_empty(),
            "{context}: an issue without field, rule or message: {issue:?}"
        );
    }
}

/// The verdict's own consistency; with `records`, an accepted record obeys
/// the code and name rules.
fn check_verdict(change: &Change, verdict: &Verdict, context: &str, records: bool) {
    check_issues(&verdict.issues, context);
    let failed = errors(&verdict.issues) > 0;
    match change {
        Change::Delete(_) => assert!(
            verdict.normalized.is_none(),
            "{context}: a delete came back with a record: {verdict:?}"
        ),
        _ => assert_eq!(
            verdict.normalized.is_some(),
            !failed,
            "{context}: a record exactly when there is no error\n{change:#?}\n{verdict:#?}"
        ),
    }
    if let Some(n) = verdict.normalized.as_ref().filter(|_| records) {
        assert!(
            code_ok(&n.code),
            "{context}: accepted the code {:?}\n{change:#?}",
            n.code
        );
        assert!(
            name_ok(&n.name),
            "{context}: accepted the name {:?}\n{change:#?}",
            n.name
        );
        if let Some(parent) = &n.parent {
            assert!(
                code_ok(parent) && *parent != n.code,
                "{context}: accepted the parent {parent:?} for {}\n{change:#?}",
                n.code
            );
        }
    }
}

/// One change through the host's validated writes.
fn write(fx: &Fresh, change: Change, actor: &host_harness::Actor) {
    let before = (
        groups_state(fx.db()),
        dump(fx.db(), "SELECT * FROM customers ORDER BY code"),
    );
    let verdict = fx
        .admin
        .check(&change, &actor.locale)
        .unwrap_or_else(|e| panic!("check failed: {e}\n{change:#?}"));
    let (what, result) = match change.clone() {
        Change::Create(group) => (
            "create",
            fx.admin.create_group(group, actor).map(|s| Some(s.record)),
        ),
        Change::Update(u) => (
            "update",
            fx.admin
                .update_group(&u.code, |g| *g = u.proposed, actor)
                .map(|s| Some(s.record)),
        ),
        Change::Delete(code) => ("delete", fx.admin.delete_group(&code, actor).map(|_| None)),
    };
    trace!(
        "validate: {what} {}",
        match &result {
            Ok(_) => "saved".to_owned(),
            Err(e) => format!(
                "refused: {}",
                e.to_string().lines().nth(1).unwrap_or_default().trim()
            ),
        }
    );
    match result {
        Err(AdminError::Plugin(e)) => panic!("{what}: the plugin failed: {e}\n{change:#?}"),
        Err(e) => {
            let after = (
                groups_state(fx.db()),
                dump(fx.db(), "SELECT * FROM customers ORDER BY code"),
            );
            assert!(
                after == before,
                "a refused {what} changed the store: {e}\n{change:#?}"
            );
            if let Change::Create(_) = change {
                assert!(
                    errors(&verdict.issues) > 0,
                    "the plugin accepted a create the host refused: {e}\n{change:#?}\n{verdict:#?}"
                );
            }
        }
        Ok(record) => {
            if let (Change::Create(_), Some(record)) = (&change, record) {
                assert_eq!(
                    Some(&record.group),
                    verdict.normalized.as_ref(),
                    "the stored group is not the record the plugin accepted\n{change:#?}"
                );
            }
            check_tree(fx.db(), &format!("after a {what}"));
        }
    }
}
