//! The host ERP's store: one SQLite file, opened with foreign keys, WAL and a
//! busy timeout, and brought to the current schema by versioned migrations.
//!
//! Every write is one transaction. The store checks what a database can
//! check (keys, the default group, immutable codes, optimistic concurrency);
//! business rules belong to the plugin, not here.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;

use crate::wit::{Account, AccountKind, ArSettings, CustomerGroup, Facts, GroupUsage, MatchMode};

/// The default group's code.
pub const DEFAULT_GROUP: &str = "0000";

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_initial.sql")];

/// A store error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer version of this host.
    #[error("the database has schema version {found}; this host knows versions up to {known}")]
    TooNew {
        /// The database's version.
        found: i64,
        /// The newest this host knows.
        known: i64,
    },
    /// A record with this key already exists.
    #[error("{what} {key} already exists")]
    Duplicate {
        /// What kind of record.
        what: &'static str,
        /// Its key.
        key: String,
    },
    /// No such record.
    #[error("there is no {what} {key}")]
    NotFound {
        /// What kind of record.
        what: &'static str,
        /// Its key.
        key: String,
    },
    /// Someone else saved the record since it was read.
    #[error(
        "customer group {code} was changed by someone else since you read it \
         (version {expected}, now {found}); refresh and try again"
    )]
    Stale {
        /// The group.
        code: String,
        /// The version the edit was based on.
        expected: i64,
        /// The version stored now.
        found: i64,
    },
    /// No plugin is installed yet.
    #[error("no plugin is installed; run `erp-host plugin install` first")]
    NoPlugin,
}

/// The host's database. Cheap to clone: clones share one connection.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

/// A chart-of-accounts entry as stored.
pub type AccountRow = Account;

/// A customer group as stored: the plugin's record plus what the host keeps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRecord {
    /// The group itself.
    #[serde(flatten)]
    pub group: CustomerGroup,
    /// Bumped by every save; an edit must name the version it was based on.
    pub version: i64,
    /// Who created the group.
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// Who saved it last.
    pub updated_by: String,
    /// When (RFC 3339, UTC).
    pub updated_at: String,
}

/// A field the group list can be searched and sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupColumn {
    /// The group code.
    #[default]
    Code,
    /// The group name.
    Name,
}

/// A search of the group list, as the list view offers it.
#[derive(Clone, Debug)]
pub struct GroupQuery {
    /// The field searched.
    pub key: GroupColumn,
    /// How the text matches.
    pub mode: MatchMode,
    /// The text; `None` is "Show All".
    pub text: Option<String>,
    /// The column sorted by.
    pub sort: GroupColumn,
    /// Sort descending.
    pub descending: bool,
}

impl Default for GroupQuery {
    fn default() -> Self {
        Self {
            key: GroupColumn::Code,
            mode: MatchMode::AnyPart,
            text: None,
            sort: GroupColumn::Code,
            descending: false,
        }
    }
}

/// The plugin installed in the host.
#[derive(Clone, Debug, Serialize)]
pub struct InstalledPlugin {
    /// The form id the plugin provides, e.g. `customergroup`.
    pub form_id: String,
    /// sha256 of the component, hex.
    pub sha256: String,
    /// The WIT version the component exports.
    pub wit_version: String,
    /// Size of the component in bytes.
    pub size: i64,
    /// When it was installed.
    pub installed_at: String,
    /// Who installed it.
    pub installed_by: String,
}

/// One entry of the host's menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MenuItem {
    /// Path from the top level to the entry.
    pub path: Vec<String>,
    /// The route it opens.
    pub route: String,
    /// The plugin that registered it; `None` for the host's own entries.
    pub plugin: Option<String>,
}

/// The separator of menu path segments in the store.
const MENU_SEPARATOR: &str = " > ";

const GROUP_COLUMNS: &str = "code, name, receivable_account, reward_expense_account, \
     sales_discount_account, write_off_account, inactive, version, created_by, created_at, \
     updated_by, updated_at";

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl Db {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::from_connection(Connection::open(path)?)
    }

    /// An in-memory database, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::from_connection(Connection::open_in_memory()?)
    }

    fn from_connection(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The connection, for this module and for tests that play other modules
    /// of the host (customers, transactions).
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The facts the plugin may ask for, answered from this database.
    pub fn facts(&self) -> Box<dyn Facts> {
        Box::new(self.clone())
    }

    // --- chart of accounts and AR settings -------------------------------

    /// Adds an account to the chart of accounts.
    pub fn create_account(&self, account: &Account) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO accounts (code, name, kind, active) VALUES (?1, ?2, ?3, ?4)",
            params![
                account.code,
                account.name,
                account.kind.as_str(),
                account.active
            ],
        )
        .map_err(|e| duplicate(e, "account", &account.code))?;
        Ok(())
    }

    /// The whole chart of accounts, by code.
    pub fn accounts(&self) -> Result<Vec<AccountRow>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT code, name, kind, active FROM accounts ORDER BY code")?;
        let rows = stmt.query_map([], account_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One account.
    pub fn account(&self, code: &str) -> Result<Option<AccountRow>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached("SELECT code, name, kind, active FROM accounts WHERE code = ?1")?
            .query_row([code], account_from_row)
            .optional()?)
    }

    /// The AR settings (default accounts).
    pub fn ar_settings(&self) -> Result<ArSettings, StoreError> {
        let conn = self.conn();
        Ok(conn.query_row(
            "SELECT receivable_account, reward_expense_account, sales_discount_account, \
             write_off_account FROM ar_settings WHERE id = 1",
            [],
            |row| {
                Ok(ArSettings {
                    receivable_account: row.get(0)?,
                    reward_expense_account: row.get(1)?,
                    sales_discount_account: row.get(2)?,
                    write_off_account: row.get(3)?,
                })
            },
        )?)
    }

    /// Replaces the AR settings.
    pub fn set_ar_settings(&self, settings: &ArSettings) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "UPDATE ar_settings SET receivable_account = ?1, reward_expense_account = ?2, \
             sales_discount_account = ?3, write_off_account = ?4 WHERE id = 1",
            params![
                settings.receivable_account,
                settings.reward_expense_account,
                settings.sales_discount_account,
                settings.write_off_account
            ],
        )?;
        Ok(())
    }

    // --- customer groups --------------------------------------------------

    /// One group with its audit fields.
    pub fn group(&self, code: &str) -> Result<Option<GroupRecord>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {GROUP_COLUMNS} FROM customer_groups WHERE code = ?1"
            ))?
            .query_row([code], group_from_row)
            .optional()?)
    }

    /// The group a user means by `text`: the exact code, or else the one code
    /// equal to it ignoring case and surrounding blanks. A lookup convenience
    /// for people typing codes; what codes may be is the plugin's business.
    pub fn find_group(&self, text: &str) -> Result<Option<GroupRecord>, StoreError> {
        if let Some(exact) = self.group(text)? {
            return Ok(Some(exact));
        }
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {GROUP_COLUMNS} FROM customer_groups \
                 WHERE code = trim(?1) COLLATE NOCASE ORDER BY code LIMIT 1"
            ))?
            .query_row([text], group_from_row)
            .optional()?)
    }

    /// The groups matching `query`, sorted as it asks.
    pub fn groups(&self, query: &GroupQuery) -> Result<Vec<GroupRecord>, StoreError> {
        let column = |c: GroupColumn| match c {
            GroupColumn::Code => "code",
            GroupColumn::Name => "name COLLATE NOCASE",
        };
        let (filter, pattern) = match &query.text {
            None => ("1 = 1".to_owned(), String::new()),
            Some(text) => {
                let field = column(query.key);
                match query.mode {
                    MatchMode::Exact => (format!("{field} = ?1 COLLATE NOCASE"), text.clone()),
                    MatchMode::Start => (
                        format!("{field} LIKE ?1 ESCAPE '\\'"),
                        format!("{}%", escape_like(text)),
                    ),
                    MatchMode::AnyPart => (
                        format!("{field} LIKE ?1 ESCAPE '\\'"),
                        format!("%{}%", escape_like(text)),
                    ),
                }
            }
        };
        let order = if query.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM customer_groups WHERE {filter} \
             ORDER BY {} {order}, code {order}",
            column(query.sort)
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = if query.text.is_some() {
            stmt.query_map([pattern], group_from_row)?
                .collect::<Result<_, _>>()?
        } else {
            stmt.query_map([], group_from_row)?
                .collect::<Result<_, _>>()?
        };
        Ok(rows)
    }

    /// Inserts a new group, stamped as created by `user`.
    pub fn create_group(
        &self,
        group: &CustomerGroup,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            &format!(
                "INSERT INTO customer_groups ({GROUP_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, {NOW}, ?8, {NOW})"
            ),
            params![
                group.code,
                group.name,
                group.receivable_account,
                group.reward_expense_account,
                group.sales_discount_account,
                group.write_off_account,
                group.inactive,
                user
            ],
        )
        .map_err(|e| duplicate(e, "customer group", &group.code))?;
        let record = tx.query_row(
            &format!("SELECT {GROUP_COLUMNS} FROM customer_groups WHERE code = ?1"),
            [&group.code],
            group_from_row,
        )?;
        tx.commit()?;
        Ok(record)
    }

    /// Saves new values of an existing group, if it is still at version
    /// `expected_version`; stamped as updated by `user`.
    pub fn update_group(
        &self,
        group: &CustomerGroup,
        expected_version: i64,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            &format!(
                "UPDATE customer_groups SET name = ?2, receivable_account = ?3, \
                 reward_expense_account = ?4, sales_discount_account = ?5, \
                 write_off_account = ?6, inactive = ?7, version = version + 1, \
                 updated_by = ?8, updated_at = {NOW} WHERE code = ?1 AND version = ?9"
            ),
            params![
                group.code,
                group.name,
                group.receivable_account,
                group.reward_expense_account,
                group.sales_discount_account,
                group.write_off_account,
                group.inactive,
                user,
                expected_version
            ],
        )?;
        if changed == 0 {
            let found: Option<i64> = tx
                .query_row(
                    "SELECT version FROM customer_groups WHERE code = ?1",
                    [&group.code],
                    |row| row.get(0),
                )
                .optional()?;
            return Err(match found {
                None => StoreError::NotFound {
                    what: "customer group",
                    key: group.code.clone(),
                },
                Some(found) => StoreError::Stale {
                    code: group.code.clone(),
                    expected: expected_version,
                    found,
                },
            });
        }
        let record = tx.query_row(
            &format!("SELECT {GROUP_COLUMNS} FROM customer_groups WHERE code = ?1"),
            [&group.code],
            group_from_row,
        )?;
        tx.commit()?;
        Ok(record)
    }

    /// Deletes a group, if it is still at version `expected_version`.
    pub fn delete_group(&self, code: &str, expected_version: i64) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let deleted = tx.execute(
            "DELETE FROM customer_groups WHERE code = ?1 AND version = ?2",
            params![code, expected_version],
        )?;
        if deleted == 0 {
            return Err(StoreError::NotFound {
                what: "customer group at the version read",
                key: code.to_owned(),
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// How much a group is in use.
    pub fn group_usage(&self, code: &str) -> Result<GroupUsage, StoreError> {
        let conn = self.conn();
        let (customers, active_customers): (u32, u32) = conn
            .prepare_cached(
                "SELECT count(*), coalesce(sum(active), 0) FROM customers WHERE group_code = ?1",
            )?
            .query_row([code], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let transactions: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM ar_transactions t JOIN customers c \
                 ON c.code = t.customer_code WHERE c.group_code = ?1",
            )?
            .query_row([code], |row| row.get(0))?;
        Ok(GroupUsage {
            customers,
            active_customers,
            transactions: transactions.unsigned_abs(),
        })
    }

    // --- plugin and menu --------------------------------------------------

    /// Records an installed plugin and its menu entry, replacing any earlier
    /// installation of the same form, in one transaction.
    pub fn install_plugin(
        &self,
        form_id: &str,
        component: &[u8],
        sha256: &str,
        wit_version: &str,
        menu: &MenuItem,
        user: &str,
    ) -> Result<InstalledPlugin, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            &format!(
                "INSERT INTO plugins (form_id, sha256, wit_version, component, installed_by, \
                 installed_at) VALUES (?1, ?2, ?3, ?4, ?5, {NOW}) \
                 ON CONFLICT (form_id) DO UPDATE SET sha256 = excluded.sha256, \
                 wit_version = excluded.wit_version, component = excluded.component, \
                 installed_by = excluded.installed_by, installed_at = excluded.installed_at"
            ),
            params![form_id, sha256, wit_version, component, user],
        )?;
        tx.execute("DELETE FROM menu_entries WHERE plugin = ?1", [form_id])?;
        tx.execute(
            "INSERT INTO menu_entries (route, path, plugin, position) \
             VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM menu_entries)) \
             ON CONFLICT (route) DO UPDATE SET path = excluded.path, plugin = excluded.plugin",
            params![menu.route, menu.path.join(MENU_SEPARATOR), form_id],
        )?;
        tx.commit()?;
        drop(conn);
        self.installed_plugin()?.ok_or(StoreError::NoPlugin)
    }

    /// The installed plugin, if any.
    pub fn installed_plugin(&self) -> Result<Option<InstalledPlugin>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT form_id, sha256, wit_version, length(component), installed_at, \
                 installed_by FROM plugins ORDER BY form_id LIMIT 1",
                [],
                |row| {
                    Ok(InstalledPlugin {
                        form_id: row.get(0)?,
                        sha256: row.get(1)?,
                        wit_version: row.get(2)?,
                        size: row.get(3)?,
                        installed_at: row.get(4)?,
                        installed_by: row.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// The installed component's bytes and its recorded sha256.
    pub fn plugin_component(&self) -> Result<(Vec<u8>, String), StoreError> {
        let conn = self.conn();
        conn.query_row(
            "SELECT component, sha256 FROM plugins ORDER BY form_id LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NoPlugin)
    }

    /// The host's menu: its own entries and those plugins registered.
    pub fn menu(&self) -> Result<Vec<MenuItem>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT path, route, plugin FROM menu_entries ORDER BY path")?;
        let rows = stmt.query_map([], |row| {
            let path: String = row.get(0)?;
            Ok(MenuItem {
                path: path.split(MENU_SEPARATOR).map(str::to_owned).collect(),
                route: row.get(1)?,
                plugin: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Facts for Db {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, StoreError> {
        self.account(code)
    }

    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, StoreError> {
        Ok(self.group(code)?.map(|r| r.group))
    }

    fn find_group_named(
        &mut self,
        name: &str,
        except_code: &str,
    ) -> Result<Option<String>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(
                "SELECT code FROM customer_groups WHERE name = ?1 COLLATE NOCASE \
                 AND code <> ?2 ORDER BY code LIMIT 1",
            )?
            .query_row([name, except_code], |row| row.get(0))
            .optional()?)
    }

    fn usage(&mut self, code: &str) -> Result<GroupUsage, StoreError> {
        self.group_usage(code)
    }

    fn settings(&mut self) -> Result<ArSettings, StoreError> {
        self.ar_settings()
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::TooNew {
            found: version,
            known,
        });
    }
    for sql in &MIGRATIONS[version as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
}

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
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

fn group_from_row(row: &Row<'_>) -> rusqlite::Result<GroupRecord> {
    Ok(GroupRecord {
        group: CustomerGroup {
            code: row.get(0)?,
            name: row.get(1)?,
            receivable_account: row.get(2)?,
            reward_expense_account: row.get(3)?,
            sales_discount_account: row.get(4)?,
            write_off_account: row.get(5)?,
            inactive: row.get(6)?,
        },
        version: row.get(7)?,
        created_by: row.get(8)?,
        created_at: row.get(9)?,
        updated_by: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

/// Maps a primary-key violation to [`StoreError::Duplicate`].
fn duplicate(error: rusqlite::Error, what: &'static str, key: &str) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) if error.to_string().contains("UNIQUE") => {
            StoreError::Duplicate {
                what,
                key: key.to_owned(),
            }
        }
        _ => StoreError::Sqlite(error),
    }
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_has_the_default_group_and_refuses_to_lose_it() {
        let db = Db::open_in_memory().expect("open");
        let default = db.group(DEFAULT_GROUP).expect("query").expect("exists");
        assert_eq!(default.version, 1);
        let err = db.delete_group(DEFAULT_GROUP, 1).expect_err("must refuse");
        assert!(err.to_string().contains("cannot be deleted"), "{err}");
        assert!(db.group(DEFAULT_GROUP).expect("query").is_some());
    }

    #[test]
    fn codes_cannot_change_underneath_the_store() {
        let db = Db::open_in_memory().expect("open");
        let err = db
            .conn()
            .execute(
                "UPDATE customer_groups SET code = 'X' WHERE code = '0000'",
                [],
            )
            .expect_err("must refuse");
        assert!(err.to_string().contains("immutable"), "{err}");
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }

    #[test]
    fn migrations_are_idempotent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("host.sqlite");
        drop(Db::open(&path).expect("first open"));
        let db = Db::open(&path).expect("second open");
        let version: i64 = db
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }
}
