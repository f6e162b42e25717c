//! What the plugin may ask while transactions are checked or batched,
//! read once inside the SQLite transaction that writes them.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Transaction;

use crate::store::{
    GROUP_COLUMNS, Scope, StoreError, account_from_row, group_from_row, settings_from_row,
};
use crate::wit::{
    Account, Customer, CustomerGroup, Facts, FactsError, GroupUsage, ReferenceKind, Settings,
};

/// What the plugin may ask while a batch is built: groups, accounts and the
/// AR settings, read once inside the batch's own transaction (the store's
/// connection is busy writing, and these do not change meanwhile).
pub(crate) struct Snapshot {
    groups: HashMap<String, CustomerGroup>,
    pub(crate) accounts: HashMap<String, Account>,
    defaults: Settings,
}

impl Snapshot {
    /// The facts of `scope`'s company: its groups as it sees them, its
    /// chart of accounts, its AR settings.
    pub(crate) fn load(tx: &Transaction<'_>, scope: &Scope) -> Result<Self, StoreError> {
        let mut rows: HashMap<String, Settings> = HashMap::new();
        if !scope.is_default() {
            let mut stmt = tx.prepare(
                "SELECT group_code, settings FROM group_company_settings WHERE company = ?1",
            )?;
            for row in stmt.query_map([&scope.company], |r| {
                Ok((r.get::<_, String>(0)?, settings_from_row(r, 1)?))
            })? {
                let (code, settings) = row?;
                rows.insert(code, settings);
            }
        }
        let mut stmt = tx.prepare(&format!("SELECT {GROUP_COLUMNS} FROM customer_groups"))?;
        let groups = stmt
            .query_map([], group_from_row)?
            .map(|r| {
                r.map(|g| {
                    let mut group = g.group;
                    scope.view(&mut group.settings, rows.get(&group.code));
                    (group.code.clone(), group)
                })
            })
            .collect::<Result<_, _>>()?;
        let mut stmt =
            tx.prepare("SELECT code, name, kind, active FROM accounts WHERE company = ?1")?;
        let accounts = stmt
            .query_map([&scope.company], account_from_row)?
            .map(|r| r.map(|a| (a.code.clone(), a)))
            .collect::<Result<_, _>>()?;
        let defaults = tx.query_row(
            "SELECT settings FROM ar_settings WHERE company = ?1",
            [&scope.company],
            |row| settings_from_row(row, 0),
        )?;
        Ok(Self {
            groups,
            accounts,
            defaults,
        })
    }
}

/// [`Snapshot`] as the plugin's facts.
pub(crate) struct SnapshotFacts(pub(crate) Arc<Snapshot>);

fn not_available(what: &str) -> StoreError {
    StoreError::NotFound {
        what: "fact available while building a GL batch:",
        key: what.to_owned(),
    }
}

impl Facts for SnapshotFacts {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Ok(self.0.accounts.get(code).cloned())
    }
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError> {
        Ok(self.0.groups.get(code).cloned())
    }
    fn find_group_named(&mut self, _: &str, _: &str) -> Result<Option<String>, FactsError> {
        Err(FactsError::from(not_available("find-group-named")))
    }
    fn reference_exists(&mut self, _: ReferenceKind, _: &str) -> Result<bool, FactsError> {
        Err(FactsError::from(not_available("reference-exists")))
    }
    fn usage(&mut self, _: &str) -> Result<GroupUsage, FactsError> {
        Err(FactsError::from(not_available("usage")))
    }
    fn child_groups(&mut self, _: &str) -> Result<Vec<String>, FactsError> {
        Err(FactsError::from(not_available("child-groups")))
    }
    fn customers(&mut self, _: &str) -> Result<Vec<Customer>, FactsError> {
        Err(FactsError::from(not_available("customers")))
    }
    fn ar_settings(&mut self) -> Result<Settings, FactsError> {
        Ok(self.0.defaults.clone())
    }
}
