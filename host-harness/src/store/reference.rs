//! The master data the group form points at: the chart of accounts, the
//! AR settings (the defaults at the root of the tree) and other host
//! modules' reference data (currencies, price lists, ...).

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::companies::DEFAULT_COMPANY;
use super::facts::{ACCOUNT_BY_CODE, ACCOUNT_IN_COMPANY};
use super::{Db, StoreError, Writer, duplicate, settings_from_row};
use crate::actor::By;
use crate::fields::json::settings_to_json;
use crate::wit::{Account, AccountKind, ReferenceKind, Settings};

/// What a read of AR settings saw, for a save based on it to be refused
/// when they changed since (AR settings keep no version): the sha256, in
/// hex, of their stored form by form field names.
pub fn settings_read(settings: &Settings) -> String {
    super::digest::hex(&Sha256::digest(settings_to_json(settings).as_bytes()).into())
}

/// A chart-of-accounts entry as stored.
pub type AccountRow = Account;

/// A record of other host modules' master data (currencies, price lists, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// What kind of record.
    pub kind: &'static str,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Whether it can be chosen.
    pub active: bool,
}

/// What an account lacks that it must have: a code, a name (blank once
/// trimmed), each as the error [`Db::create_account`] gives.
pub fn account_blanks(account: &Account) -> Vec<StoreError> {
    [("code", &account.code), ("name", &account.name)]
        .into_iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| StoreError::Blank {
            what: "account",
            field,
        })
        .collect()
}

impl Db {
    /// Adds an account to the default company's chart of accounts, its code
    /// and name trimmed (neither may be blank); the account as stored.
    pub fn create_account(&self, account: &Account) -> Result<Account, StoreError> {
        self.create_account_in(DEFAULT_COMPANY, account)
    }

    /// Adds an account to the chart of accounts of `company` (a stored
    /// company's code), its code and name trimmed (neither may be blank;
    /// the code is not another company's either); the account as stored.
    pub fn create_account_in(
        &self,
        company: &str,
        account: &Account,
    ) -> Result<Account, StoreError> {
        let account = Account {
            code: account.code.trim().to_owned(),
            name: account.name.trim().to_owned(),
            ..account.clone()
        };
        if let Some(error) = account_blanks(&account).into_iter().next() {
            return Err(error);
        }
        let conn = self.conn();
        conn.execute(
            "INSERT INTO accounts (code, name, kind, active, company) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                account.code,
                account.name,
                account.kind.as_str(),
                account.active,
                company
            ],
        )
        .map_err(|e| duplicate(e, "account", &account.code))?;
        Ok(account)
    }

    /// The whole chart of accounts, by code.
    pub fn accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT code, name, kind, active FROM accounts ORDER BY code")?;
        let rows = stmt.query_map([], account_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The chart of accounts of one company, by code.
    pub fn accounts_of(&self, company: &str) -> Result<Vec<AccountRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT code, name, kind, active FROM accounts WHERE company = ?1 ORDER BY code",
        )?;
        let rows = stmt.query_map([company], account_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The account with this code in the chart of `company`.
    pub fn account_in(&self, company: &str, code: &str) -> Result<Option<AccountRow>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(ACCOUNT_IN_COMPANY)?
            .query_row([code, company], account_from_row)
            .optional()?)
    }

    /// The company whose chart has the account with this code.
    pub fn account_company(&self, code: &str) -> Result<Option<String>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached("SELECT company FROM accounts WHERE code = ?1")?
            .query_row([code], |row| row.get(0))
            .optional()?)
    }

    /// One account, of any company.
    pub fn account(&self, code: &str) -> Result<Option<AccountRow>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(ACCOUNT_BY_CODE)?
            .query_row([code], account_from_row)
            .optional()?)
    }

    /// The default company's AR settings: the defaults at the root of the
    /// group tree.
    pub fn ar_settings(&self) -> Result<Settings, StoreError> {
        self.ar_settings_of(DEFAULT_COMPANY)
    }

    /// The AR settings of `company`.
    pub fn ar_settings_of(&self, company: &str) -> Result<Settings, StoreError> {
        let conn = self.conn();
        conn.prepare_cached("SELECT settings FROM ar_settings WHERE company = ?1")?
            .query_row([company], |row| settings_from_row(row, 0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "company",
                key: company.to_owned(),
            })
    }

    /// Replaces the default company's AR settings (recorded as by
    /// [`By::HOST`]).
    pub fn set_ar_settings(&self, settings: &Settings) -> Result<(), StoreError> {
        self.write(|w| w.set_ar_settings(settings, By::HOST))
    }

    /// Adds a record of reference data.
    pub fn create_reference(
        &self,
        kind: ReferenceKind,
        code: &str,
        name: &str,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO reference_data (kind, code, name) VALUES (?1, ?2, ?3)",
                params![kind.as_str(), code, name],
            )
            .map_err(|e| duplicate(e, kind.as_str(), code))?;
        Ok(())
    }

    /// Sets how many decimals a currency's minor unit has.
    pub fn set_currency_decimals(&self, code: &str, decimals: u32) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE reference_data SET decimals = ?2 WHERE kind = 'currency' AND code = ?1",
            params![code, decimals],
        )?;
        Ok(())
    }

    /// Reference data of one kind, or of every kind, by kind and code.
    pub fn references(&self, kind: Option<ReferenceKind>) -> Result<Vec<Reference>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT kind, code, name, active FROM reference_data \
             WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, code",
        )?;
        let rows = stmt.query_map([kind.map(ReferenceKind::as_str)], |row| {
            let kind: String = row.get(0)?;
            Ok(Reference {
                kind: ReferenceKind::parse(&kind).map_or("unknown", ReferenceKind::as_str),
                code: row.get(1)?,
                name: row.get(2)?,
                active: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

pub(crate) fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let kind: String = row.get(2)?;
    Ok(Account {
        code: row.get(0)?,
        name: row.get(1)?,
        kind: AccountKind::parse(&kind).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown account kind {kind:?}").into(),
            )
        })?,
        active: row.get(3)?,
    })
}

impl Writer<'_> {
    /// Replaces the default company's AR settings, and records which changed.
    pub fn set_ar_settings(&self, settings: &Settings, by: By<'_>) -> Result<(), StoreError> {
        self.set_ar_settings_of(DEFAULT_COMPANY, settings, None, by)
    }

    /// Replaces the AR settings of `company`, and records which changed;
    /// refused as stale unless they are still what `read` saw (when given:
    /// [`settings_read`] of the settings the edit is based on).
    pub fn set_ar_settings_of(
        &self,
        company: &str,
        settings: &Settings,
        read: Option<&str>,
        by: By<'_>,
    ) -> Result<(), StoreError> {
        let before: Settings = self
            .tx()
            .query_row(
                "SELECT settings FROM ar_settings WHERE company = ?1",
                [company],
                |row| settings_from_row(row, 0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "company",
                key: company.to_owned(),
            })?;
        if read.is_some_and(|read| read != settings_read(&before)) {
            return Err(StoreError::StaleSettings {
                company: company.to_owned(),
            });
        }
        self.tx().execute(
            "UPDATE ar_settings SET settings = ?2 WHERE company = ?1",
            params![company, settings_to_json(settings)],
        )?;
        self.record_ar_settings(by, company, &before, settings)
    }
}
