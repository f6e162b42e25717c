//! The facts the plugin asks for, answered from the store (`impl Facts for
//! Db`), one at a time or in bulk, and the SQL of the questions it asks for
//! every record it validates.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::companies::DEFAULT_COMPANY;
use super::customers::CUSTOMER_COLUMNS;
use super::{Db, GROUP_COLUMNS, StoreError, group_from_row, settings_from_row};
use crate::wit::{
    Account, Customer, CustomerGroup, Facts, FactsError, GroupUsage, ReferenceKind, Settings,
};

// The questions the plugin asks for every record it validates; a test checks
// that each is answered from an index, without a scan or a sort.
pub(super) const ACCOUNT_BY_CODE: &str =
    "SELECT code, name, kind, active FROM accounts WHERE code = ?1";
/// An account of one company's chart: the plugin's facts for a company see
/// only its chart.
pub(super) const ACCOUNT_IN_COMPANY: &str =
    "SELECT code, name, kind, active FROM accounts WHERE code = ?1 AND company = ?2";
pub(super) const CHILD_GROUPS: &str =
    "SELECT code FROM customer_groups WHERE parent = ?1 ORDER BY code";
pub(super) const GROUP_NAMED: &str = "SELECT code FROM customer_groups WHERE name = ?1 COLLATE NOCASE \
     AND code <> ?2 ORDER BY code LIMIT 1";
pub(super) const REFERENCE_EXISTS: &str =
    "SELECT 1 FROM reference_data WHERE kind = ?1 AND code = ?2 AND active = 1";

/// A JSON array of texts, for `json_each` (writing one cannot fail).
fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    serde_json::Value::from(items.collect::<Vec<_>>()).to_string()
}

pub(super) fn group_by_code() -> String {
    format!("SELECT {GROUP_COLUMNS} FROM customer_groups WHERE code = ?1")
}

pub(super) fn customers_of_group() -> String {
    format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE group_code = ?1 ORDER BY code")
}

impl Facts for Db {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Ok(self.account_in(DEFAULT_COMPANY, code)?)
    }

    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError> {
        Ok(self.group(code)?.map(|r| r.group))
    }

    fn find_groups(&mut self, codes: &[String]) -> Result<Vec<Option<CustomerGroup>>, FactsError> {
        let conn = self.conn();
        let mut found: HashMap<String, CustomerGroup> = HashMap::with_capacity(codes.len());
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {GROUP_COLUMNS} FROM customer_groups \
                 WHERE code IN (SELECT value FROM json_each(?1))"
            ))
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map(
                [json_list(codes.iter().map(String::as_str))],
                group_from_row,
            )
            .map_err(StoreError::from)?;
        for row in rows {
            let record = row.map_err(StoreError::from)?;
            found.insert(record.group.code.clone(), record.group);
        }
        Ok(codes.iter().map(|code| found.get(code).cloned()).collect())
    }

    fn find_groups_named(
        &mut self,
        questions: &[(String, String)],
    ) -> Result<Vec<Option<String>>, FactsError> {
        let names: Vec<&str> = questions.iter().map(|(name, _)| name.as_str()).collect();
        // Codes by name as SQLite compares names (ASCII case folded), each
        // list by code: the answer is the first that is not the exception.
        let mut named: HashMap<String, Vec<String>> = HashMap::new();
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT code, name FROM customer_groups \
                 WHERE name COLLATE NOCASE IN (SELECT value FROM json_each(?1)) ORDER BY code",
            )
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map([json_list(names.iter().copied())], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(StoreError::from)?;
        for row in rows {
            let (code, name) = row.map_err(StoreError::from)?;
            named
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(code);
        }
        Ok(questions
            .iter()
            .map(|(name, except)| {
                named
                    .get(&name.to_ascii_lowercase())?
                    .iter()
                    .find(|code| *code != except)
                    .cloned()
            })
            .collect())
    }

    fn find_group_named(
        &mut self,
        name: &str,
        except_code: &str,
    ) -> Result<Option<String>, FactsError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(GROUP_NAMED)
            .map_err(StoreError::from)?
            .query_row([name, except_code], |row| row.get(0))
            .optional()
            .map_err(StoreError::from)?)
    }

    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, FactsError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(REFERENCE_EXISTS)
            .and_then(|mut s| s.exists([kind.as_str(), code]))
            .map_err(StoreError::from)?)
    }

    fn usage(&mut self, code: &str) -> Result<GroupUsage, FactsError> {
        Ok(self.group_usage(code)?)
    }

    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, FactsError> {
        Ok(Db::child_groups(self, code)?)
    }

    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, FactsError> {
        Ok(Db::customers(self, Some(group))?)
    }

    fn ar_settings(&mut self) -> Result<Settings, FactsError> {
        Ok(Db::ar_settings(self)?)
    }
}

impl From<StoreError> for FactsError {
    fn from(error: StoreError) -> Self {
        FactsError::new(error)
    }
}

/// The plugin's facts for one company other than the default (the
/// contract's "facts are a company's"): its chart of accounts, its AR
/// settings, and each group with its per-company fields as it sets them
/// for the company. Everything else is the store's as it is.
pub struct CompanyFacts {
    db: Db,
    company: String,
    per_company: Vec<&'static crate::fields::Field>,
}

/// What each of `codes` sets for `company` (groups without a row absent).
fn company_rows(
    db: &Db,
    company: &str,
    codes: &[&str],
) -> Result<HashMap<String, Settings>, StoreError> {
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT group_code, settings FROM group_company_settings \
         WHERE company = ?1 AND group_code IN (SELECT value FROM json_each(?2))",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![company, json_list(codes.iter().copied())],
        |row| Ok((row.get::<_, String>(0)?, settings_from_row(row, 1)?)),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl CompanyFacts {
    /// The facts of `company` (a stored company other than the default),
    /// whose per-company fields are `per_company`.
    pub fn new(db: Db, company: &str, per_company: Vec<&'static crate::fields::Field>) -> Self {
        Self {
            db,
            company: company.to_owned(),
            per_company,
        }
    }

    fn overlay(
        &self,
        mut groups: Vec<Option<CustomerGroup>>,
    ) -> Result<Vec<Option<CustomerGroup>>, StoreError> {
        let codes: Vec<&str> = groups.iter().flatten().map(|g| g.code.as_str()).collect();
        let rows = company_rows(&self.db, &self.company, &codes)?;
        for group in groups.iter_mut().flatten() {
            crate::fields::overlay(
                &mut group.settings,
                rows.get(&group.code),
                &self.per_company,
            );
        }
        Ok(groups)
    }
}

impl Facts for CompanyFacts {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Ok(self.db.account_in(&self.company, code)?)
    }

    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError> {
        let found = self.db.group(code)?.map(|r| r.group);
        Ok(self.overlay(vec![found])?.pop().flatten())
    }

    fn find_groups(&mut self, codes: &[String]) -> Result<Vec<Option<CustomerGroup>>, FactsError> {
        let found = Facts::find_groups(&mut self.db, codes)?;
        Ok(self.overlay(found)?)
    }

    fn find_groups_named(
        &mut self,
        questions: &[(String, String)],
    ) -> Result<Vec<Option<String>>, FactsError> {
        Facts::find_groups_named(&mut self.db, questions)
    }

    fn find_group_named(
        &mut self,
        name: &str,
        except_code: &str,
    ) -> Result<Option<String>, FactsError> {
        Facts::find_group_named(&mut self.db, name, except_code)
    }

    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, FactsError> {
        Facts::reference_exists(&mut self.db, kind, code)
    }

    fn usage(&mut self, code: &str) -> Result<GroupUsage, FactsError> {
        Facts::usage(&mut self.db, code)
    }

    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, FactsError> {
        Facts::child_groups(&mut self.db, code)
    }

    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, FactsError> {
        Facts::customers(&mut self.db, group)
    }

    fn ar_settings(&mut self) -> Result<Settings, FactsError> {
        Ok(self.db.ar_settings_of(&self.company)?)
    }
}

/// Whose facts the plugin is given: a company, and for a company other
/// than the default, its per-company fields (from the installed plugin's
/// form), which its groups' rows replace.
#[derive(Clone, Debug)]
pub struct Scope {
    /// The company's code.
    pub company: String,
    /// `None` for the default company, whose groups are given as stored.
    pub per_company: Option<Vec<&'static crate::fields::Field>>,
}

impl Scope {
    /// The default company's facts: the store's own.
    pub fn default_company() -> Self {
        Self {
            company: DEFAULT_COMPANY.to_owned(),
            per_company: None,
        }
    }

    /// Whether this is the default company.
    pub fn is_default(&self) -> bool {
        self.per_company.is_none()
    }

    /// The facts of the company, over `db`.
    pub fn facts(&self, db: &Db) -> Box<dyn Facts> {
        match &self.per_company {
            None => db.facts(),
            Some(fields) => Box::new(CompanyFacts::new(db.clone(), &self.company, fields.clone())),
        }
    }

    /// `settings` (a group's own) as the company sees them, given `row`,
    /// what the group sets for the company.
    pub fn view(&self, settings: &mut Settings, row: Option<&Settings>) {
        if let Some(fields) = &self.per_company {
            crate::fields::overlay(settings, row, fields);
        }
    }
}
