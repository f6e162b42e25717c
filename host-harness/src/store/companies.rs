//! Companies (issue 14, part 5): each with its ledger settings (base
//! currency, rounding account), its AR settings and its chart of accounts;
//! customers and GL batches belong to one. The default company, `MAIN`, is
//! the one a store from before companies migrates to, and the one every
//! command means when it names none.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Db, StoreError, Writer, duplicate};
use crate::actor::By;

/// The default company's code: the one every store has.
pub const DEFAULT_COMPANY: &str = "MAIN";

/// A company as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Company {
    /// Its code: 1 to 8 characters, `A`-`Z` and `0`-`9`.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Whether it is the default company.
    pub is_default: bool,
    /// The base currency its batches balance in; blank until set.
    pub base_currency: String,
    /// Where its conversion differences go.
    pub rounding_account: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
}

const COMPANY_COLUMNS: &str = "c.code, c.name, c.is_default, g.base_currency, \
     g.rounding_account, c.created_by, c.created_at";

fn company_from_row(row: &Row<'_>) -> rusqlite::Result<Company> {
    Ok(Company {
        code: row.get(0)?,
        name: row.get(1)?,
        is_default: row.get(2)?,
        base_currency: row.get(3)?,
        rounding_account: row.get(4)?,
        created_by: row.get(5)?,
        created_at: row.get(6)?,
    })
}

/// A company code as the store keeps it: trimmed, upper case; an error
/// naming the code when it is not 1 to 8 characters `A`-`Z` or `0`-`9`.
pub fn company_code(text: &str) -> Result<String, StoreError> {
    let code = text.trim().to_ascii_uppercase();
    let valid = (1..=8).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if valid {
        Ok(code)
    } else {
        Err(StoreError::BadCode {
            what: "company",
            code: text.to_owned(),
        })
    }
}

impl Db {
    /// Every company, the default first, then by code.
    pub fn companies(&self) -> Result<Vec<Company>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COMPANY_COLUMNS} FROM companies c JOIN gl_settings g ON g.company = c.code \
             ORDER BY c.is_default DESC, c.code"
        ))?;
        let rows = stmt.query_map([], company_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One company, by its code as given (normalised first).
    pub fn company(&self, code: &str) -> Result<Option<Company>, StoreError> {
        let Ok(code) = company_code(code) else {
            return Ok(None);
        };
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {COMPANY_COLUMNS} FROM companies c \
                 JOIN gl_settings g ON g.company = c.code WHERE c.code = ?1"
            ))?
            .query_row([code], company_from_row)
            .optional()?)
    }

    /// The company `code` names (the default company when none), or an
    /// error naming the code when there is no such company.
    pub fn company_or_default(&self, code: Option<&str>) -> Result<Company, StoreError> {
        let code = code.unwrap_or(DEFAULT_COMPANY);
        self.company(code)?.ok_or_else(|| StoreError::NotFound {
            what: "company",
            key: code.trim().to_owned(),
        })
    }

    /// The company of the customer with this code, if there is one.
    pub fn customer_company(&self, customer: &str) -> Result<Option<String>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached("SELECT company FROM customers WHERE code = ?1")?
            .query_row([customer], |row| row.get(0))
            .optional()?)
    }

    /// Whether the host holds more than one company.
    pub fn several_companies(&self) -> Result<bool, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached("SELECT count(*) > 1 FROM companies")?
            .query_row([], |row| row.get(0))?)
    }
}

impl Writer<'_> {
    /// Adds a company, with blank ledger and AR settings; the company as
    /// stored.
    pub fn create_company(
        &self,
        code: &str,
        name: &str,
        by: By<'_>,
    ) -> Result<Company, StoreError> {
        let code = company_code(code)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Blank {
                what: "company",
                field: "name",
            });
        }
        self.tx()
            .execute(
                "INSERT INTO companies (code, name, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![code, name, by.user, self.now()?],
            )
            .map_err(|e| duplicate(e, "company", &code))?;
        self.tx()
            .query_row(
                &format!(
                    "SELECT {COMPANY_COLUMNS} FROM companies c \
                     JOIN gl_settings g ON g.company = c.code WHERE c.code = ?1"
                ),
                [&code],
                company_from_row,
            )
            .map_err(StoreError::from)
    }

    /// Puts a customer without transactions in `company`.
    pub fn set_customer_company(&self, customer: &str, company: &str) -> Result<(), StoreError> {
        self.tx().execute(
            "UPDATE customers SET company = ?2 WHERE code = ?1",
            [customer, company],
        )?;
        Ok(())
    }

    /// Renames a company.
    pub fn rename_company(&self, code: &str, name: &str) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Blank {
                what: "company",
                field: "name",
            });
        }
        let code = company_code(code)?;
        let changed = self.tx().execute(
            "UPDATE companies SET name = ?2 WHERE code = ?1",
            params![code, name],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "company",
                key: code,
            });
        }
        Ok(())
    }
}

/// A group's per-company field as the history names it:
/// `company:BETA:receivable-account`.
pub fn company_field(company: &str, field: &str) -> String {
    format!("company:{company}:{field}")
}

/// The company and the field of a name [`company_field`] made.
pub fn split_company_field(name: &str) -> Option<(&str, &str)> {
    name.strip_prefix("company:")?.split_once(':')
}

impl Db {
    /// What group `code` sets for each company other than the default, by
    /// company code.
    pub fn group_company_settings(
        &self,
        code: &str,
    ) -> Result<Vec<(String, crate::wit::Settings)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT company, settings FROM group_company_settings \
             WHERE group_code = ?1 ORDER BY company",
        )?;
        let rows = stmt.query_map([code], |row| {
            Ok((row.get::<_, String>(0)?, super::settings_from_row(row, 1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Refuses as stale unless group `code` is at version `expected` (the
    /// version a user's edit is based on); read in this transaction.
    pub fn expect_group_version(&self, code: &str, expected: i64) -> Result<(), StoreError> {
        super::groups::check_version(self.tx(), code, expected)
    }

    /// Makes what group `code` sets per company exactly `rows` (company,
    /// settings; every company left out sets nothing), as
    /// [`Writer::set_group_company_settings`] does for one: what a file
    /// declaring the group says. The group's version when anything
    /// changed.
    pub fn replace_group_company_settings(
        &self,
        code: &str,
        rows: &[(&str, &crate::wit::Settings)],
        by: By<'_>,
    ) -> Result<Option<i64>, StoreError> {
        let stored: Vec<String> = {
            let mut stmt = self.tx().prepare_cached(
                "SELECT company FROM group_company_settings WHERE group_code = ?1",
            )?;
            stmt.query_map([code], |row| row.get(0))?
                .collect::<Result<_, _>>()?
        };
        let mut changed = false;
        for company in stored.iter().filter(|c| !rows.iter().any(|(r, _)| r == c)) {
            changed |= self.set_group_company_settings(code, company, None, by)?;
        }
        for (company, settings) in rows {
            changed |= self.set_group_company_settings(code, company, Some(settings), by)?;
        }
        if !changed {
            return Ok(None);
        }
        Ok(Some(self.tx().query_row(
            "SELECT version FROM customer_groups WHERE code = ?1",
            [code],
            |row| row.get(0),
        )?))
    }

    /// Replaces what group `code` sets for `company` (a company other than
    /// the default) with `row` (none, or nothing set: the row goes), and
    /// records each setting that changed in the group's history. A change is a change of the group: its version
    /// moves on (so a save based on an earlier read is stale, and the
    /// daemon sees a group it owns edited). Whether anything changed.
    pub fn set_group_company_settings(
        &self,
        code: &str,
        company: &str,
        row: Option<&crate::wit::Settings>,
        by: By<'_>,
    ) -> Result<bool, StoreError> {
        use crate::fields::json::{settings_to_json, value_to_json};
        // Every setting of the host's field table, not only those the
        // installed plugin keeps per company: a row set under a plugin that
        // kept more is still recorded field by field when it goes.
        let fields: Vec<&'static crate::fields::Field> = crate::fields::settings_fields().collect();
        let before: Option<crate::wit::Settings> = self
            .tx()
            .query_row(
                "SELECT settings FROM group_company_settings WHERE group_code = ?1 AND company = ?2",
                [code, company],
                |row| super::settings_from_row(row, 0),
            )
            .optional()?;
        let row = row.filter(|r| fields.iter().any(|f| f.get_setting(r).is_some()));
        match row {
            Some(settings) => {
                self.tx().execute(
                    "INSERT INTO group_company_settings (group_code, company, settings) \
                     VALUES (?1, ?2, ?3) ON CONFLICT (group_code, company) \
                     DO UPDATE SET settings = excluded.settings",
                    params![code, company, settings_to_json(settings)],
                )?;
            }
            None => {
                self.tx().execute(
                    "DELETE FROM group_company_settings WHERE group_code = ?1 AND company = ?2",
                    [code, company],
                )?;
            }
        }
        let mut changes = Vec::new();
        for field in &fields {
            let old = before.as_ref().and_then(|s| field.get_setting(s));
            let new = row.and_then(|s| field.get_setting(s));
            if old != new {
                let json = |v: Option<crate::fields::Value>| {
                    v.map_or(serde_json::Value::Null, |v| value_to_json(field.shape, &v))
                };
                changes.push(super::history::FieldChange {
                    field: company_field(company, field.name),
                    old: json(old),
                    new: json(new),
                });
            }
        }
        if changes.is_empty() {
            return Ok(false);
        }
        let text = serde_json::to_string(&changes).map_err(|e| {
            StoreError::Inconsistent(format!("a change of group {code} as JSON: {e}"))
        })?;
        self.tx().execute(
            "UPDATE customer_groups SET version = version + 1, updated_by = ?2, updated_at = ?3 \
             WHERE code = ?1",
            params![code, by.user, self.now()?],
        )?;
        self.insert_change(
            by,
            super::history::Entity::CustomerGroup,
            code,
            super::history::Action::Update,
            &text,
        )?;
        Ok(true)
    }
}
