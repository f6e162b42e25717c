//! Fixtures for the end-to-end tests: a host database in a temporary
//! directory with the sample chart of accounts and the real plugin installed,
//! and the real `erp-host` CLI run in-process against it.

pub mod fuzz;

use std::path::PathBuf;

use host_harness::wit::CustomerGroup;
use host_harness::{Actor, Admin, Db, PLUGIN_WASM, admin, sample};
use tempfile::TempDir;

/// A host database with sample accounts and the bundled plugin installed.
pub struct TestHost {
    dir: TempDir,
}

/// What one CLI run printed, and its exit code.
#[derive(Debug)]
pub struct Run {
    /// 0 success, 1 error, 64 usage (`host_harness::cli::EXIT_*`).
    pub code: u8,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the run succeeded.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run failed with code 1.
    #[track_caller]
    pub fn failed(self) -> Self {
        assert_eq!(
            self.code, 1,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestHost {
    /// A fresh host: database, sample accounts and AR settings, plugin.
    pub fn new() -> Self {
        let host = Self::empty();
        let db = host.db();
        sample::seed(&db).expect("seed sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "installer")
            .expect("install the bundled plugin");
        host
    }

    /// A fresh host with the sample company's groups: `LOKAL` (a group node)
    /// holding `L001`, `VIP` and `EXPO`, and `EXPORT` in dollars.
    pub fn with_sample_groups() -> Self {
        let host = Self::new();
        let admin = host.admin();
        for group in sample::groups() {
            admin
                .create_group(group, &actor("en"))
                .expect("sample group");
        }
        host
    }

    /// A host database with nothing installed and no accounts.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let host = Self { dir };
        drop(host.db());
        host
    }

    /// The database file.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    /// A new connection to the database.
    pub fn db(&self) -> Db {
        Db::open(&self.path()).expect("open the host database")
    }

    /// The host with its installed plugin loaded.
    pub fn admin(&self) -> Admin {
        Admin::open(self.db()).expect("load the installed plugin")
    }

    /// Runs `erp-host --db <this database> <args>`.
    pub fn cli(&self, args: &[&str]) -> Run {
        let path = self.path();
        let mut argv = vec!["erp-host".to_owned(), "--db".to_owned()];
        argv.push(path.to_string_lossy().into_owned());
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let code = host_harness::cli::main_with(argv, &mut stdout, &mut stderr);
        Run {
            code,
            stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
        }
    }

    /// Every group's code, name and version, for "nothing was written" checks.
    pub fn snapshot(&self) -> Vec<(String, String, i64)> {
        let db = self.db();
        let conn = db.conn();
        let mut stmt = conn
            .prepare("SELECT code, name, version FROM customer_groups ORDER BY code")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// Adds a customer to a group directly in the store, as data that was
    /// already there (bypassing the plugin's checks, as old data might).
    pub fn add_customer(&self, code: &str, group: &str, active: bool) {
        self.add_customer_in(code, group, "IDR", active);
    }

    /// Like [`TestHost::add_customer`], in `currency`.
    pub fn add_customer_in(&self, code: &str, group: &str, currency: &str, active: bool) {
        self.db()
            .conn()
            .execute(
                "INSERT INTO customers (code, name, group_code, currency, active) \
                 VALUES (?1, ?1, ?2, ?3, ?4)",
                (code, group, currency, active),
            )
            .expect("insert customer");
    }

    /// Adds an AR transaction for a customer, as the host's AR module would.
    pub fn add_transaction(&self, customer: &str) {
        self.db()
            .conn()
            .execute(
                "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor) \
                 SELECT code, 'invoice', '2026-11-01', currency, 10000 FROM customers WHERE code = ?1",
                [customer],
            )
            .expect("insert transaction");
    }
}

impl Default for TestHost {
    fn default() -> Self {
        Self::new()
    }
}

/// The administrator every test acts as, in `locale`.
pub fn actor(locale: &str) -> Actor {
    Actor {
        user: "tester".into(),
        locale: locale.into(),
        via: host_harness::actor::Via::Cli,
    }
}

/// A top-level leaf group with every setting left to inherit.
pub fn group(code: &str, name: &str) -> CustomerGroup {
    CustomerGroup::new(code, name)
}
