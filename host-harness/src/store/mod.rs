//! The host ERP's store: one SQLite file, opened with foreign keys, WAL and a
//! busy timeout, and brought to the current schema by versioned migrations.
//!
//! Every write is one transaction. The store checks what a database can
//! check (keys, the default group, immutable codes, optimistic concurrency);
//! business rules belong to the plugin, not here.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;

use crate::cache::CompileCache;
use crate::engine::{LimitError, Limits};
use crate::fields::json::{
    CodecError, settings_from_json, settings_from_json_of, settings_to_json,
};
use crate::wit::{
    Account, AccountKind, Customer, CustomerGroup, Facts, FactsError, GroupUsage, MatchMode,
    ReferenceKind, Settings,
};

pub mod digest;
mod field_names;
pub mod ledger;
mod legacy;
pub mod postings;

/// The default group's code.
pub const DEFAULT_GROUP: &str = "0000";

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A migration step that SQL alone cannot take, run right after its script.
type MigrationStep = fn(&rusqlite::Transaction<'_>) -> Result<(), StoreError>;

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[(&str, Option<MigrationStep>)] = &[
    (include_str!("migrations/001_initial.sql"), None),
    (include_str!("migrations/002_sync.sql"), None),
    (include_str!("migrations/003_gl.sql"), None),
    (include_str!("migrations/004_plugin_limits.sql"), None),
    (
        include_str!("migrations/005_batch_members.sql"),
        Some(postings::convert_postings_v5),
    ),
    (
        include_str!("migrations/006_posted_batches_final.sql"),
        None,
    ),
    (include_str!("migrations/007_transaction_effects.sql"), None),
    (
        include_str!("migrations/008_transaction_identity.sql"),
        None,
    ),
    (
        include_str!("migrations/009_field_names.sql"),
        Some(field_names::convert_to_field_names),
    ),
    (include_str!("migrations/010_group_lookup_order.sql"), None),
];

/// The schema version a store is migrated to (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A raised page cache; the size before comes back when it is dropped.
pub struct PageCache<'a> {
    db: &'a Db,
    before: i64,
}

impl Drop for PageCache<'_> {
    fn drop(&mut self) {
        // Only a smaller cache is at stake if this fails.
        let _ = self
            .db
            .conn()
            .pragma_update(None, "cache_size", self.before);
    }
}

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
    /// A read-only open found no database at the path.
    #[error("there is no database at {path}")]
    Missing {
        /// The path given.
        path: std::path::PathBuf,
    },
    /// A read-only open found a database this host must migrate first.
    #[error(
        "the database {path} has schema version {found}, not {known}; it must be migrated by a \
         command that writes (erp-host init) before it can be read"
    )]
    NotMigrated {
        /// The path given.
        path: std::path::PathBuf,
        /// The database's version.
        found: i64,
        /// The version this host reads.
        known: i64,
    },
    /// The store contradicts itself: an index and the query reading it
    /// disagree (a defect of this host, not of the input).
    #[error("the store is inconsistent: {0}")]
    Inconsistent(String),
    /// A stored value this host cannot read (edited by hand, or written by
    /// a newer host): nothing is read or rewritten without it.
    #[error("the stored {what} {key} cannot be read: {error}")]
    Unreadable {
        /// What kind of record.
        what: &'static str,
        /// Its key.
        key: String,
        /// What is wrong with it.
        error: CodecError,
    },
    /// The stored plugin limits are out of range (edited by hand?).
    #[error("the stored plugin limits are out of range: {0}")]
    Limits(#[from] LimitError),
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

/// A group's place in the tree and its version, without the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupVersion {
    /// The group code.
    pub code: String,
    /// Its version.
    pub version: i64,
    /// Its parent's code.
    pub parent: Option<String>,
}

/// A column of the group list: what it can be searched and sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupColumn {
    /// The group code.
    #[default]
    Code,
    /// The group name.
    Name,
    /// The parent group.
    Parent,
    /// The group-node flag.
    IsGroup,
    /// The group's own currency.
    Currency,
    /// The group's own receivable account.
    ReceivableAccount,
    /// The group's own default price list.
    PriceList,
    /// The group's own credit limit.
    CreditLimit,
    /// The inactive flag.
    Inactive,
    /// When the group was last saved.
    UpdatedAt,
}

impl GroupColumn {
    /// Every column, in the list's order.
    pub const ALL: [GroupColumn; 10] = [
        GroupColumn::Code,
        GroupColumn::Name,
        GroupColumn::Parent,
        GroupColumn::IsGroup,
        GroupColumn::Currency,
        GroupColumn::ReceivableAccount,
        GroupColumn::PriceList,
        GroupColumn::CreditLimit,
        GroupColumn::Inactive,
        GroupColumn::UpdatedAt,
    ];

    /// The column's field name, as the form's list columns name it.
    pub fn field(self) -> &'static str {
        match self {
            GroupColumn::Code => "code",
            GroupColumn::Name => "name",
            GroupColumn::Parent => "parent",
            GroupColumn::IsGroup => "is-group",
            GroupColumn::Currency => "currency",
            GroupColumn::ReceivableAccount => "receivable-account",
            GroupColumn::PriceList => "price-list",
            GroupColumn::CreditLimit => "credit-limit",
            GroupColumn::Inactive => "inactive",
            GroupColumn::UpdatedAt => "updated-at",
        }
    }

    /// The column whose field name is `field`.
    pub fn parse(field: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.field() == field)
    }

    /// The SQL a column is searched and sorted by: a column of
    /// `customer_groups`, or a setting read from its JSON by its form field
    /// name ([`crate::fields::json::path`]).
    fn sql(self) -> String {
        let setting = |field: &str| {
            format!(
                "json_extract(settings, '{}')",
                crate::fields::json::path(field)
            )
        };
        match self {
            GroupColumn::Code => "code".into(),
            GroupColumn::Name => "name COLLATE NOCASE".into(),
            GroupColumn::Parent => "coalesce(parent, '')".into(),
            GroupColumn::IsGroup => "is_group".into(),
            GroupColumn::Currency | GroupColumn::ReceivableAccount | GroupColumn::PriceList => {
                format!("coalesce({}, '')", setting(self.field()))
            }
            GroupColumn::CreditLimit => setting(self.field()),
            GroupColumn::Inactive => "inactive".into(),
            GroupColumn::UpdatedAt => "updated_at".into(),
        }
    }
}

/// A search of the group list, as the list view offers it.
#[derive(Clone, Debug)]
pub struct GroupQuery {
    /// The field searched: code or name.
    pub key: GroupColumn,
    /// How the text matches.
    pub mode: MatchMode,
    /// The text; `None` is "Show All".
    pub text: Option<String>,
    /// Only the descendants of this group (children, their children, ...).
    pub under: Option<String>,
    /// The column sorted by.
    pub sort: GroupColumn,
    /// Sort descending.
    pub descending: bool,
    /// Rows to skip (pagination).
    pub offset: u64,
    /// At most this many rows; `None` for all.
    pub limit: Option<u64>,
}

impl Default for GroupQuery {
    fn default() -> Self {
        Self {
            key: GroupColumn::Code,
            mode: MatchMode::AnyPart,
            text: None,
            under: None,
            sort: GroupColumn::Code,
            descending: false,
            offset: 0,
            limit: None,
        }
    }
}

/// One page of the group list.
#[derive(Clone, Debug, Serialize)]
pub struct GroupPage {
    /// The groups on this page.
    pub groups: Vec<GroupRecord>,
    /// How many groups match the query in all.
    pub total: u64,
}

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

/// The settings a customer has of its own, as terms (what "Apply Default
/// Terms" sets): `customers.terms` holds them as settings JSON.
pub(crate) const TERMS: [&str; 5] = [
    "payment-terms",
    "due-terms",
    "prompt-payment-discount",
    "statement-aging",
    "price-code",
];

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

pub(crate) const GROUP_COLUMNS: &str = "code, name, parent, is_group, inactive, settings, version, \
     created_by, created_at, updated_by, updated_at";

const CUSTOMER_COLUMNS: &str = "code, name, group_code, currency, active, terms";

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl Db {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::from_connection(Connection::open(path)?)
    }

    /// Opens the existing database at `path` for reading only: never
    /// creates, migrates or writes it (a missing file is
    /// [`StoreError::Missing`]), and reads through WAL while another
    /// connection holds a write transaction.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let missing = || StoreError::Missing {
            path: path.to_owned(),
        };
        if !path.is_file() {
            return Err(missing());
        }
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::CannotOpen) if !path.exists() => missing(),
                _ => StoreError::from(e),
            })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        if found < known {
            return Err(StoreError::NotMigrated {
                path: path.to_owned(),
                found,
                known,
            });
        }
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
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

    /// Raises SQLite's page cache for this connection to `mib` until the
    /// guard is dropped (a bulk write whose index pages would spill).
    pub fn page_cache_mib(&self, mib: i64) -> Result<PageCache<'_>, StoreError> {
        let conn = self.conn();
        let before: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", -mib.saturating_mul(1024))?;
        Ok(PageCache { db: self, before })
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
            .prepare_cached(ACCOUNT_BY_CODE)?
            .query_row([code], account_from_row)
            .optional()?)
    }

    /// The AR settings: the defaults at the root of the group tree.
    pub fn ar_settings(&self) -> Result<Settings, StoreError> {
        let conn = self.conn();
        Ok(
            conn.query_row("SELECT settings FROM ar_settings WHERE id = 1", [], |row| {
                settings_from_row(row, 0)
            })?,
        )
    }

    /// Replaces the AR settings.
    pub fn set_ar_settings(&self, settings: &Settings) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "UPDATE ar_settings SET settings = ?1 WHERE id = 1",
            [settings_to_json(settings)],
        )?;
        Ok(())
    }

    // --- reference data ---------------------------------------------------

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

    // --- customer groups --------------------------------------------------

    /// Every group's code, version and parent: the whole tree, small enough
    /// to hold at any size (the sync daemon plans against it).
    pub fn group_versions(&self) -> Result<Vec<GroupVersion>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT code, version, parent FROM customer_groups")?;
        let rows = stmt.query_map([], |row| {
            Ok(GroupVersion {
                code: row.get(0)?,
                version: row.get(1)?,
                parent: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One group with its audit fields.
    pub fn group(&self, code: &str) -> Result<Option<GroupRecord>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&group_by_code())?
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

    /// The page of groups matching `query`, sorted as it asks, and how many
    /// match in all.
    pub fn groups(&self, query: &GroupQuery) -> Result<GroupPage, StoreError> {
        let mut filters = vec!["1 = 1".to_owned()];
        if query.text.is_some() {
            let field = query.key.sql();
            filters.push(match query.mode {
                MatchMode::Exact => format!("{field} = :text COLLATE NOCASE"),
                MatchMode::Start | MatchMode::AnyPart => format!("{field} LIKE :text ESCAPE '\\'"),
            });
        }
        if query.under.is_some() {
            filters.push(
                "code IN (WITH RECURSIVE below(code) AS ( \
                   SELECT code FROM customer_groups WHERE parent = :under \
                   UNION SELECT g.code FROM customer_groups g JOIN below b ON g.parent = b.code) \
                 SELECT code FROM below)"
                    .to_owned(),
            );
        }
        let filter = filters.join(" AND ");
        let pattern = query.text.as_ref().map(|text| match query.mode {
            MatchMode::Exact => text.clone(),
            MatchMode::Start => format!("{}%", escape_like(text)),
            MatchMode::AnyPart => format!("%{}%", escape_like(text)),
        });
        let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
        if let Some(pattern) = &pattern {
            named.push((":text", pattern));
        }
        if let Some(under) = &query.under {
            named.push((":under", under));
        }
        let order = if query.descending { "DESC" } else { "ASC" };
        let limit = query
            .limit
            .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
        let conn = self.conn();
        let total: i64 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM customer_groups WHERE {filter}"
            ))?
            .query_row(named.as_slice(), |row| row.get(0))?;
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM customer_groups WHERE {filter} \
             ORDER BY {} {order}, code {order} LIMIT {limit} OFFSET {offset}",
            query.sort.sql()
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let groups = stmt
            .query_map(named.as_slice(), group_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(GroupPage {
            groups,
            total: total.unsigned_abs(),
        })
    }

    /// Inserts a new group, stamped as created by `user`.
    pub fn create_group(
        &self,
        group: &CustomerGroup,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        self.write(|w| w.create_group(group, user))
    }

    /// Saves new values of an existing group, if it is still at version
    /// `expected_version`; stamped as updated by `user`.
    pub fn update_group(
        &self,
        group: &CustomerGroup,
        expected_version: i64,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        self.write(|w| w.update_group(group, expected_version, user))
    }

    /// Deletes a group, if it is still at version `expected_version`.
    pub fn delete_group(&self, code: &str, expected_version: i64) -> Result<(), StoreError> {
        self.write(|w| w.delete_group(code, expected_version))
    }

    /// Runs `f` in one write transaction: committed if it returns `Ok`,
    /// rolled back otherwise (and if the process dies midway, SQLite rolls it
    /// back on the next open).
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let writer = Writer { tx };
        let value = f(&writer)?;
        writer.tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// The codes of a group's child groups.
    pub fn child_groups(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(CHILD_GROUPS)?;
        let rows = stmt.query_map([code], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    // --- customers ---------------------------------------------------------

    /// Adds a customer (the host's customer module; the plugin has checked it).
    pub fn create_customer(&self, customer: &Customer) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &format!(
                    "INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                ),
                params![
                    customer.code,
                    customer.name,
                    customer.group,
                    customer.currency,
                    customer.active,
                    terms_json(&terms_of(customer))
                ],
            )
            .map_err(|e| duplicate(e, "customer", &customer.code))?;
        Ok(())
    }

    /// One customer.
    pub fn customer(&self, code: &str) -> Result<Option<Customer>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE code = ?1"
            ))?
            .query_row([code], customer_from_row)
            .optional()?)
    }

    /// The customers of a group, or all customers, by code.
    pub fn customers(&self, group: Option<&str>) -> Result<Vec<Customer>, StoreError> {
        let conn = self.conn();
        // Two statements, not `?1 IS NULL OR ...`: SQLite plans a statement
        // once, and that one would scan every customer for one group.
        let mut stmt = match group {
            Some(_) => conn.prepare_cached(&customers_of_group())?,
            None => conn.prepare_cached(&format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE ?1 IS NULL ORDER BY code"
            ))?,
        };
        let rows = stmt.query_map([group], customer_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the terms of many customers in one transaction, each only if it
    /// still has the terms it had when the change was planned.
    pub fn update_customer_terms(
        &self,
        updates: &[(Customer, Customer)],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (before, after) in updates {
            let changed = tx.execute(
                "UPDATE customers SET terms = ?2 WHERE code = ?1 AND terms = ?3",
                params![
                    after.code,
                    terms_json(&terms_of(after)),
                    terms_json(&terms_of(before))
                ],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "customer with the terms previewed (changed meanwhile?)",
                    key: before.code.clone(),
                });
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves every customer of `from` to `to` in one transaction; how many moved.
    pub fn reassign_customers(&self, from: &str, to: &str) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let moved = tx.execute(
            "UPDATE customers SET group_code = ?2 WHERE group_code = ?1",
            params![from, to],
        )?;
        tx.commit()?;
        Ok(moved)
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

    /// The budgets every plugin call runs under: as an administrator set
    /// them, else the host's defaults.
    pub fn plugin_limits(&self) -> Result<Limits, StoreError> {
        let conn = self.conn();
        let values = conn
            .query_row(
                "SELECT fuel_per_call, fuel_per_record, deadline_ms, \
                 memory_bytes >> 20, memory_per_record >> 10 FROM plugin_limits",
                [],
                |row| {
                    let mut values = [0; 5];
                    for (i, value) in values.iter_mut().enumerate() {
                        // Negative values cannot pass the CHECKs; map them
                        // out of range rather than wrap.
                        *value = u64::try_from(row.get::<_, i64>(i)?).unwrap_or(u64::MAX);
                    }
                    Ok(values)
                },
            )
            .optional()?;
        match values {
            None => Ok(Limits::default()),
            Some(values) => Ok(Limits::from_values(values)?),
        }
    }

    /// Whether an administrator set the plugin limits (rather than the
    /// defaults applying), and who and when.
    pub fn plugin_limits_set_by(&self) -> Result<Option<(String, String)>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT updated_by, updated_at FROM plugin_limits",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// Sets the plugin limits (`None`: back to the defaults), for every
    /// process that opens the plugin from now on.
    pub fn set_plugin_limits(&self, limits: Option<&Limits>, user: &str) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM plugin_limits", [])?;
        if let Some(limits) = limits {
            // Validated again so that what is stored reads back.
            let values = limits.values();
            Limits::from_values(values)?;
            // In range (checked just above), so well within an i64.
            let values = values.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
            tx.execute(
                &format!(
                    "INSERT INTO plugin_limits (id, fuel_per_call, fuel_per_record, deadline_ms, \
                     memory_bytes, memory_per_record, updated_by, updated_at) \
                     VALUES (1, ?1, ?2, ?3, ?4 << 20, ?5 << 10, ?6, {NOW})"
                ),
                params![values[0], values[1], values[2], values[3], values[4], user],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The precompiled-component cache beside the database file (none for
    /// an in-memory database).
    pub fn compile_cache(&self) -> Option<CompileCache> {
        let conn = self.conn();
        conn.path()
            .filter(|path| !path.is_empty())
            .map(|path| CompileCache::beside(Path::new(path)))
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

// The questions the plugin asks for every record it validates; a test checks
// that each is answered from an index, without a scan or a sort.
const ACCOUNT_BY_CODE: &str = "SELECT code, name, kind, active FROM accounts WHERE code = ?1";
const CHILD_GROUPS: &str = "SELECT code FROM customer_groups WHERE parent = ?1 ORDER BY code";
const GROUP_NAMED: &str = "SELECT code FROM customer_groups WHERE name = ?1 COLLATE NOCASE \
     AND code <> ?2 ORDER BY code LIMIT 1";
const REFERENCE_EXISTS: &str =
    "SELECT 1 FROM reference_data WHERE kind = ?1 AND code = ?2 AND active = 1";

/// A JSON array of texts, for `json_each` (writing one cannot fail).
fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    serde_json::Value::from(items.collect::<Vec<_>>()).to_string()
}

fn group_by_code() -> String {
    format!("SELECT {GROUP_COLUMNS} FROM customer_groups WHERE code = ?1")
}

fn customers_of_group() -> String {
    format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE group_code = ?1 ORDER BY code")
}

impl Facts for Db {
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError> {
        Ok(self.account(code)?)
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

/// Writes inside one transaction (see [`Db::write`]).
pub struct Writer<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Writer<'_> {
    /// Inserts a new group, stamped as created by `user`.
    pub fn create_group(
        &self,
        group: &CustomerGroup,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        insert_group(&self.tx, group, user)
    }

    /// Saves new values of a group still at `expected_version`.
    pub fn update_group(
        &self,
        group: &CustomerGroup,
        expected_version: i64,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        save_group(&self.tx, group, expected_version, user)
    }

    /// Deletes a group still at `expected_version`.
    pub fn delete_group(&self, code: &str, expected_version: i64) -> Result<(), StoreError> {
        let deleted = self.tx.execute(
            "DELETE FROM customer_groups WHERE code = ?1 AND version = ?2",
            params![code, expected_version],
        )?;
        if deleted == 0 {
            return Err(StoreError::NotFound {
                what: "customer group at the version read",
                key: code.to_owned(),
            });
        }
        Ok(())
    }

    /// The transaction, for tables the store does not wrap (the sync ledger).
    pub fn tx(&self) -> &rusqlite::Transaction<'_> {
        &self.tx
    }
}

fn insert_group(
    tx: &rusqlite::Transaction<'_>,
    group: &CustomerGroup,
    user: &str,
) -> Result<GroupRecord, StoreError> {
    tx.execute(
        &format!(
            "INSERT INTO customer_groups ({GROUP_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, {NOW}, ?7, {NOW})"
        ),
        params![
            group.code,
            group.name,
            group.parent,
            group.is_group,
            group.inactive,
            settings_to_json(&group.settings),
            user
        ],
    )
    .map_err(|e| duplicate(e, "customer group", &group.code))?;
    read_group(tx, &group.code)
}

fn save_group(
    tx: &rusqlite::Transaction<'_>,
    group: &CustomerGroup,
    expected_version: i64,
    user: &str,
) -> Result<GroupRecord, StoreError> {
    let changed = tx.execute(
        &format!(
            "UPDATE customer_groups SET name = ?2, parent = ?3, is_group = ?4, inactive = ?5, \
             settings = ?6, version = version + 1, updated_by = ?7, updated_at = {NOW} \
             WHERE code = ?1 AND version = ?8"
        ),
        params![
            group.code,
            group.name,
            group.parent,
            group.is_group,
            group.inactive,
            settings_to_json(&group.settings),
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
    read_group(tx, &group.code)
}

fn read_group(tx: &rusqlite::Transaction<'_>, code: &str) -> Result<GroupRecord, StoreError> {
    Ok(tx.query_row(
        &format!("SELECT {GROUP_COLUMNS} FROM customer_groups WHERE code = ?1"),
        [code],
        group_from_row,
    )?)
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    column: usize,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| {
        StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            Box::new(e),
        ))
    })
}

/// Settings column `column` of `row` (format 2).
pub(crate) fn settings_from_row(row: &Row<'_>, column: usize) -> rusqlite::Result<Settings> {
    let json: String = row.get(column)?;
    settings_from_json(&json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A customer's terms as settings (the rest unset).
fn terms_of(customer: &Customer) -> Settings {
    Settings {
        payment_terms: customer.payment_terms.clone(),
        due_terms: customer.due_terms,
        prompt_payment_discount: customer.prompt_payment_discount,
        statement_aging: customer.statement_aging,
        price_code: customer.price_code.clone(),
        ..Settings::inherit_all()
    }
}

/// Terms as `customers.terms` holds them: the settings JSON of [`TERMS`]
/// only, so that equal terms are equal text.
pub(crate) fn terms_json(terms: &Settings) -> String {
    let mut only = Settings::inherit_all();
    for name in TERMS {
        for field in crate::fields::fields_of(name) {
            // A settings field into settings: cannot fail.
            let _ = field.set_setting(&mut only, field.get_setting(terms));
        }
    }
    settings_to_json(&only)
}

fn customer_from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    let json: String = row.get(5)?;
    let is_term = |f: &crate::fields::Field| f.setting.is_some_and(|s| TERMS.contains(&s));
    let terms = settings_from_json_of(&json, is_term).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Customer {
        code: row.get(0)?,
        name: row.get(1)?,
        group: row.get(2)?,
        currency: row.get(3)?,
        active: row.get(4)?,
        payment_terms: terms.payment_terms,
        due_terms: terms.due_terms,
        prompt_payment_discount: terms.prompt_payment_discount,
        statement_aging: terms.statement_aging,
        price_code: terms.price_code,
    })
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Up to date (the usual case): no write lock, so opening never waits for
    // another connection's transaction (nor fails on a read-only file).
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == MIGRATIONS.len() as i64 {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::TooNew {
            found: version,
            known,
        });
    }
    for (sql, step) in &MIGRATIONS[version as usize..] {
        tx.execute_batch(sql)?;
        if let Some(step) = step {
            step(&tx)?;
        }
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
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

pub(crate) fn group_from_row(row: &Row<'_>) -> rusqlite::Result<GroupRecord> {
    let settings = settings_from_row(row, 5)?;
    Ok(GroupRecord {
        group: CustomerGroup {
            code: row.get(0)?,
            name: row.get(1)?,
            parent: row.get(2)?,
            is_group: row.get(3)?,
            inactive: row.get(4)?,
            settings,
        },
        version: row.get(6)?,
        created_by: row.get(7)?,
        created_at: row.get(8)?,
        updated_by: row.get(9)?,
        updated_at: row.get(10)?,
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

impl Db {
    /// Sets a customer's own credit limit (minor units of its currency), or
    /// clears it so that its group's applies.
    pub fn set_customer_credit_limit(
        &self,
        code: &str,
        limit: Option<i64>,
    ) -> Result<(), StoreError> {
        let changed = self.conn().execute(
            "UPDATE customers SET credit_limit_minor = ?2 WHERE code = ?1",
            params![code, limit],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "customer",
                key: code.to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugins_questions_are_answered_from_an_index_without_a_sort() {
        let db = Db::open_in_memory().expect("open");
        let conn = db.conn();
        for sql in [
            ACCOUNT_BY_CODE.to_owned(),
            CHILD_GROUPS.to_owned(),
            GROUP_NAMED.to_owned(),
            REFERENCE_EXISTS.to_owned(),
            group_by_code(),
            customers_of_group(),
        ] {
            let mut plan = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("explain");
            // Unbound parameters are NULL: the plan is the same.
            let mut rows = plan.raw_query();
            let mut steps: Vec<String> = Vec::new();
            while let Some(row) = rows.next().expect("plan row") {
                steps.push(row.get(3).expect("detail"));
            }
            assert!(
                steps.iter().all(|step| step.starts_with("SEARCH")),
                "{sql}\nis planned as {steps:?}"
            );
        }
    }

    #[test]
    fn the_bulk_questions_answer_as_the_single_ones_do() {
        let mut db = Db::open_in_memory().expect("open");
        for (code, name) in [
            ("A", "Lokal"),
            ("B", "LOKAL"),
            ("C", "Ekspor"),
            ("D", "Ünï"),
        ] {
            db.create_group(&CustomerGroup::new(code, name), "test")
                .expect("group");
        }
        let codes: Vec<String> = ["A", "Z", "0000", "D", "A", "a"]
            .into_iter()
            .map(String::from)
            .collect();
        let single: Vec<_> = codes
            .iter()
            .map(|code| Facts::find_group(&mut db, code).expect("one"))
            .collect();
        assert_eq!(db.find_groups(&codes).expect("bulk"), single);
        let questions: Vec<(String, String)> = [
            ("lokal", "X"),
            ("lokal", "A"),
            ("LoKaL", "B"),
            ("ekspor", "C"),
            ("ünï", "X"),
            ("ÜNÏ", "X"),
            ("nobody", ""),
        ]
        .into_iter()
        .map(|(n, e)| (n.to_owned(), e.to_owned()))
        .collect();
        let single: Vec<_> = questions
            .iter()
            .map(|(n, e)| db.find_group_named(n, e).expect("one"))
            .collect();
        assert_eq!(single[0].as_deref(), Some("A"));
        assert_eq!(single[5], None, "only ASCII case is folded");
        assert_eq!(db.find_groups_named(&questions).expect("bulk"), single);
    }

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
    fn a_raised_page_cache_comes_back_down() {
        let db = Db::open_in_memory().expect("db");
        let size = |db: &Db| -> i64 {
            db.conn()
                .query_row("PRAGMA cache_size", [], |r| r.get(0))
                .expect("cache size")
        };
        let before = size(&db);
        {
            let _raised = db.page_cache_mib(64).expect("raise");
            assert_eq!(size(&db), -65_536);
        }
        assert_eq!(size(&db), before);
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

    #[test]
    fn migration_5_moves_batch_membership_and_repacks_json_postings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("host.sqlite");
        {
            // A store at version 4 with a posted batch of two transactions
            // and a third transaction not in any batch.
            let mut conn = Connection::open(&path).expect("open");
            // As the sqlite3 shell has it: a dangling batch_id gets in.
            conn.pragma_update(None, "foreign_keys", false)
                .expect("foreign keys off");
            let tx = conn.transaction().expect("tx");
            for (sql, _) in &MIGRATIONS[..4] {
                tx.execute_batch(sql).expect("migration");
            }
            tx.execute_batch(
                "PRAGMA user_version = 4;
                 INSERT INTO customer_groups (code, name, created_by, created_at, updated_by, updated_at)
                     VALUES ('G', 'G', 'me', 'now', 'me', 'now');
                 INSERT INTO customers (code, name, group_code, currency) VALUES ('C', 'C', 'G', 'IDR');
                 INSERT INTO gl_batches (id, base_currency, plugin_sha256, transactions, created_by, created_at)
                     VALUES (7, 'IDR', 'x', 2, 'me', '2026-01-01T00:00:00Z');
                 INSERT INTO ar_transactions (id, customer_code, kind, date, currency, amount_minor, batch_id)
                     VALUES (1, 'C', 'write-off', '2026-01-01', 'IDR', 5, 7),
                            (2, 'C', 'write-off', '2026-01-02', 'IDR', 6, 7),
                            (3, 'C', 'write-off', '2026-01-03', 'IDR', 7, NULL),
                            (4, 'C', 'write-off', '2026-01-04', 'IDR', 8, 99);
                 INSERT INTO gl_batch_postings (batch_id, chunk, postings) VALUES (7, 0,
                     '[[1,\"Write-off C\",[[\"6200\",\"write-off\",5,5],[\"1100\",\"receivable\",-5,-5]]],
                       [2,\"Write-off \u{e9} C\",[[\"6200\",\"write-off\",6,6],[\"1100\",\"receivable\",-6,-6]]]]');
                 UPDATE gl_batches SET status = 'posted' WHERE id = 7;",
            )
            .expect("version 4 data");
            tx.commit().expect("commit");
        }
        let db = Db::open(&path).expect("migrated");
        let conn = db.conn();
        let members: Vec<(i64, i64)> = conn
            .prepare("SELECT transaction_id, batch_id FROM gl_batch_members ORDER BY 1")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("members");
        // Transaction 4 named a batch that does not exist (deleted by hand
        // with foreign keys off): it is released, not a reason to fail.
        assert_eq!(members, [(1, 7), (2, 7)]);
        let blob: Vec<u8> = conn
            .query_row(
                "SELECT postings FROM gl_batch_postings WHERE batch_id = 7",
                [],
                |r| r.get(0),
            )
            .expect("postings");
        let postings = postings::stored_postings(&blob).expect("decodes");
        assert_eq!(postings.len(), 2);
        assert_eq!(postings[1].1, "Write-off \u{e9} C");
        assert_eq!(
            postings[1].2,
            [
                ("6200".to_owned(), "write-off".to_owned(), 6, 6),
                ("1100".to_owned(), "receivable".to_owned(), -6, -6)
            ]
        );
        // The old table is gone and the posted batch is still guarded.
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'gl_batch_postings_v3'",
                [],
                |r| r.get(0),
            )
            .expect("schema");
        assert_eq!(tables, 0);
        for sql in [
            "DELETE FROM gl_batch_members WHERE batch_id = 7",
            "UPDATE ar_transactions SET amount_minor = 1 WHERE id = 1",
            "DELETE FROM ar_transactions WHERE id = 2",
            "DELETE FROM gl_batch_postings",
        ] {
            let err = conn.execute(sql, []).expect_err(sql);
            assert!(err.to_string().contains("cannot"), "{sql}: {err}");
        }
        assert_eq!(
            conn.execute(
                "UPDATE ar_transactions SET amount_minor = 8 WHERE id = 3",
                []
            )
            .expect("an unbatched transaction may change"),
            1
        );
    }

    #[test]
    fn migration_8_keeps_every_row_marks_old_duplicates_and_enforces_identity() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("host.sqlite");
        {
            // A store at version 7 holding what versions before it let in:
            // a file imported twice (rows 1 and 2), rows without a
            // reference, a reversal, and a batched row.
            let mut conn = Connection::open(&path).expect("open");
            let tx = conn.transaction().expect("tx");
            for (sql, _) in &MIGRATIONS[..7] {
                tx.execute_batch(sql).expect("migration");
            }
            tx.execute_batch(
                "PRAGMA user_version = 7;
                 INSERT INTO customer_groups (code, name, created_by, created_at, updated_by, updated_at)
                     VALUES ('G', 'G', 'me', 'now', 'me', 'now');
                 INSERT INTO customers (code, name, group_code, currency) VALUES ('C', 'C', 'G', 'IDR');
                 INSERT INTO ar_transactions (id, customer_code, kind, date, currency, amount_minor,
                                              reference, group_code, reverses)
                     VALUES (1, 'C', 'write-off', '2026-01-01', 'IDR', 5, 'W-1', 'G', NULL),
                            (2, 'C', 'write-off', '2026-01-01', 'IDR', 5, 'W-1', 'G', NULL),
                            (3, 'C', 'write-off', '2026-01-02', 'IDR', 6, '', 'G', NULL),
                            (4, 'C', 'write-off', '2026-01-02', 'IDR', 6, '', 'G', NULL),
                            (5, 'C', 'write-off', '2026-01-03', 'IDR', -5, 'W-1', 'G', 1),
                            (6, 'C', 'receipt', '2026-01-03', 'IDR', 5, 'W-1', 'G', NULL),
                            (7, 'C', 'write-off', '2026-01-04', 'IDR', 5, 'W-1', 'G', NULL);
                 INSERT INTO gl_batches (id, base_currency, plugin_sha256, transactions, created_by, created_at)
                     VALUES (9, 'IDR', 'x', 1, 'me', '2026-01-05T00:00:00Z');
                 INSERT INTO gl_batch_members (transaction_id, batch_id) VALUES (3, 9);",
            )
            .expect("version 7 data");
            tx.commit().expect("commit");
        }
        let db = Db::open(&path).expect("migrated");
        let conn = db.conn();
        let rows: Vec<(i64, Option<i64>, Option<i64>)> = conn
            .prepare("SELECT id, reverses, duplicate_of FROM ar_transactions ORDER BY id")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(
            rows,
            [
                (1, None, None),
                (2, None, Some(1)),
                (3, None, None),
                (4, None, None),
                (5, Some(1), None),
                (6, None, None),
                (7, None, Some(1)),
            ]
        );
        // The identity is the schema's now, whoever writes; rows without
        // a reference have none.
        let insert = |kind: &str, reference: &str| {
            conn.execute(
                "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, reference) \
                 VALUES ('C', ?1, '2026-02-01', 'IDR', 1, ?2)",
                params![kind, reference],
            )
        };
        let err = insert("write-off", "W-1").expect_err("a duplicate");
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        insert("write-off", "").expect("no reference, no identity");
        insert("write-off", "W-2").expect("a new identity");
        let err = insert("invoiced", "W-3").expect_err("not a kind");
        assert!(err.to_string().contains("CHECK"), "{err}");
        // The guards came back with the table.
        for sql in [
            "UPDATE ar_transactions SET amount_minor = 1 WHERE id = 3",
            "DELETE FROM ar_transactions WHERE id = 3",
        ] {
            let err = conn.execute(sql, []).expect_err(sql);
            assert!(err.to_string().contains("cannot"), "{sql}: {err}");
        }
        let err = conn
            .execute("INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, reverses) \
                      VALUES ('C', 'write-off', '2026-02-01', 'IDR', 1, 1)", [])
            .expect_err("reversed twice");
        assert!(err.to_string().contains("UNIQUE"), "{err}");
    }
}
