//! The host ERP's store: one SQLite file, opened with foreign keys, WAL and a
//! busy timeout, and brought to the current schema by versioned migrations.
//!
//! Every write is one transaction. The store checks what a database can
//! check (keys, the default group, immutable codes, optimistic concurrency);
//! business rules belong to the plugin, not here.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, Row, TransactionBehavior};

use crate::engine::LimitError;
use crate::fields::json::{CodecError, settings_from_json};
use crate::wit::{Facts, Settings};

mod companies;
mod customers;
pub mod digest;
mod facts;
pub use facts::{CompanyFacts, Scope};
mod field_names;
mod groups;
pub mod history;
pub mod ledger;
mod legacy;
mod plugins;
pub mod postings;
mod reference;
mod schema;
mod sync;
mod users;

pub use companies::{Company, DEFAULT_COMPANY, company_code, company_field, split_company_field};
pub(crate) use customers::{TERMS, terms_json};
pub(crate) use groups::{GROUP_COLUMNS, group_from_row};
pub use groups::{
    GroupColumn, GroupPage, GroupQuery, GroupRecord, GroupVersion, TreeLevel, TreeNode,
};
pub use plugins::{InstalledPlugin, MenuItem};
pub(crate) use reference::account_from_row;
pub use reference::{AccountRow, Reference, account_blanks, settings_read};
pub use schema::SCHEMA_VERSION;
use schema::{MIGRATIONS, migrate};
pub use sync::{SyncOwner, SyncStatus};
pub(crate) use users::holds as holds_right;
pub use users::{Held, HeldBy, Right, Role, UserRecord};

/// The default group's code.
pub const DEFAULT_GROUP: &str = "0000";

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// A record lacks a value it must have.
    #[error("a {what} needs a {field}")]
    Blank {
        /// What kind of record.
        what: &'static str,
        /// The value: `code`, `name`.
        field: &'static str,
    },
    /// A code that is not 1 to 8 characters `A`-`Z` or `0`-`9`.
    #[error("a {what} code is 1 to 8 characters A-Z or 0-9, not `{code}`")]
    BadCode {
        /// What kind of record.
        what: &'static str,
        /// The code as given.
        code: String,
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
    /// Someone else saved a company's AR settings since they were read.
    #[error(
        "the AR settings of company {company} were changed by someone else since you \
         read them; refresh and try again"
    )]
    StaleSettings {
        /// The company.
        company: String,
    },
    /// The change would leave no active administrator to manage the users.
    #[error("{0} is the last active administrator: add or enable another administrator first")]
    LastAdministrator(String),
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

/// How many prepared statements a connection keeps: more than the store's
/// distinct hot statements (the plugin's questions, a sync's writes, the
/// daemon's ledger), so that a bulk run never prepares one twice.
const STATEMENT_CACHE: usize = 64;

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
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
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
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Statement journals (each write that may have to undo itself
        // midway, inside a transaction) and sorts stay in memory: in a temp
        // file, a sync of 100,000 groups spent a quarter of its inserts in
        // pwrite.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Each of the store's questions has one plan, whatever is asked
        // (the indexes the tests check). Without the planner's stability
        // guarantee SQLite compiled a question again for each new value
        // bound to it: a tenth of validating a sync, in `sqlite3Reprepare`.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
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
        let writer = Writer {
            tx,
            now: std::cell::OnceCell::new(),
        };
        let value = f(&writer)?;
        writer.tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

/// Writes inside one transaction (see [`Db::write`]).
pub struct Writer<'c> {
    tx: rusqlite::Transaction<'c>,
    now: std::cell::OnceCell<String>,
}

impl Writer<'_> {
    /// The transaction, for tables the store does not wrap (the sync ledger).
    pub fn tx(&self) -> &rusqlite::Transaction<'_> {
        &self.tx
    }

    /// The transaction's time, as the audit fields record it: read once, so
    /// that every row one transaction writes carries the same time (and a
    /// bulk write does not format it per row).
    pub fn now(&self) -> Result<&str, StoreError> {
        if let Some(now) = self.now.get() {
            return Ok(now);
        }
        let now: String = self
            .tx
            .query_row(&format!("SELECT {NOW}"), [], |row| row.get(0))?;
        Ok(self.now.get_or_init(|| now))
    }
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

#[cfg(test)]
mod tests;
