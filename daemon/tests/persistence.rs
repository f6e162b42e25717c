//! A store written by the `erp-host` and `erp-sync` of fc62596 (schema 8:
//! settings JSON keyed by the generated bindings' Rust names, sync-ledger
//! digests of postcard-encoded groups; see
//! `host-harness/tests/fixtures/store-0.4.0/README.md`) opens, migrates to
//! settings format 2 (JSON keyed by form field names) and loses nothing:
//! every group, setting, customer and run survives, every digest is
//! converted or kept comparable, and the daemon's next run on the same
//! files changes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use host_harness::Db;
use host_harness::store::digest::{self, Recorded};
use host_harness::wit::Settings;
use rusqlite::Connection;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../host-harness/tests/fixtures/store-0.4.0"
);

struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = Path::new(FIXTURE);
        std::fs::copy(from.join("erp.sqlite"), dir.path().join("erp.sqlite")).expect("copy db");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        std::fs::copy(
            from.join("config/groups.toml"),
            dir.path().join("config/groups.toml"),
        )
        .expect("copy config");
        Self { dir }
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let conn = Connection::open(self.db_path()).expect("open");
        let mut stmt = conn.prepare(sql).expect("prepare");
        let n = stmt.column_count();
        stmt.query_map([], |row| {
            (0..n)
                .map(|i| {
                    Ok(match row.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                        rusqlite::types::ValueRef::Real(f) => f.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
                    })
                })
                .collect()
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    }

    fn erp_host(&self, args: &[&str]) -> (u8, String) {
        let mut argv = vec![
            "erp-host".to_owned(),
            "--db".to_owned(),
            self.db_path().display().to_string(),
        ];
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = host_harness::cli::main_with(argv, &mut out, &mut err);
        out.extend(err);
        (code, String::from_utf8_lossy(&out).into_owned())
    }

    fn erp_sync(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_erp-sync"))
            .arg("--db")
            .arg(self.db_path())
            .args(args)
            .env_remove("ERP_DB")
            .env("ERP_SYNC_CONFIG", self.config())
            .env("ERP_SYNC_LOG_LEVEL", "warn")
            .output()
            .expect("run erp-sync");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), text)
    }
}

/// Settings JSON of format 1, read as fc62596 wrote it: serde of the
/// contract 0.4.0 bindings (the writer itself, not the migration's reader).
fn format_1(json: &str) -> Settings {
    serde_json::from_str(json).expect("format-1 settings")
}

const GROUP_ROWS: &str = "SELECT code, name, coalesce(parent, ''), is_group, inactive, version, \
     created_by, created_at, updated_by, updated_at FROM customer_groups ORDER BY code";
const CUSTOMER_ROWS: &str = "SELECT code, name, group_code, currency, active, \
     coalesce(credit_limit_minor, '') FROM customers ORDER BY code";

#[test]
fn a_store_written_by_0_4_0_migrates_without_losing_anything_and_syncs_as_unchanged() {
    let store = Copy::new();
    // What fc62596 wrote.
    let version = store.rows("PRAGMA user_version");
    assert_eq!(version, [["8"]], "the fixture is a schema-8 store");
    let groups = store.rows(GROUP_ROWS);
    let settings: Vec<(String, Settings)> = store
        .rows("SELECT code, settings FROM customer_groups ORDER BY code")
        .into_iter()
        .map(|r| (r[0].clone(), format_1(&r[1])))
        .collect();
    let ar = format_1(&store.rows("SELECT settings FROM ar_settings")[0][0]);
    let customers = store.rows(CUSTOMER_ROWS);
    let terms: Vec<(String, Settings)> = store
        .rows("SELECT code, terms FROM customers ORDER BY code")
        .into_iter()
        .map(|r| (r[0].clone(), format_1(&r[1])))
        .collect();
    let ledger = store.rows(
        "SELECT code, source_file, content_hash, applied_version, applied_at, removed \
         FROM sync_ledger ORDER BY code",
    );
    let runs = store.rows("SELECT * FROM sync_runs ORDER BY id");
    let other = |s: &Copy| {
        s.rows(
            "SELECT 'accounts', count(*) FROM accounts UNION ALL \
             SELECT 'references', count(*) FROM reference_data UNION ALL \
             SELECT 'gl', count(*) FROM gl_settings",
        )
    };
    let others = other(&store);
    assert!(
        settings.iter().any(|(_, s)| s.points_rules.is_some()) && ar.due_terms.is_some(),
        "the fixture sets every kind of setting"
    );

    // Opening it migrates it (the bundled plugin installed on the way).
    let (exit, out) = store.erp_host(&["plugin", "install"]);
    assert_eq!(exit, 0, "{out}");
    assert_eq!(
        store.rows("PRAGMA user_version"),
        [[host_harness::store::SCHEMA_VERSION.to_string()]]
    );

    // Every group, setting, customer and run is there, as it was.
    assert_eq!(store.rows(GROUP_ROWS), groups);
    let db = Db::open(&store.db_path()).expect("open");
    for (code, was) in &settings {
        let now = db.group(code).expect("read").expect("still there");
        assert_eq!(&now.group.settings, was, "{code}'s settings");
    }
    assert_eq!(&db.ar_settings().expect("AR settings"), &ar);
    assert_eq!(store.rows(CUSTOMER_ROWS), customers);
    for (code, was) in &terms {
        let now = db.customer(code).expect("read").expect("still there");
        assert_eq!(
            (
                &now.payment_terms,
                now.due_terms,
                now.prompt_payment_discount,
                now.statement_aging,
                &now.price_code
            ),
            (
                &was.payment_terms,
                was.due_terms,
                was.prompt_payment_discount,
                was.statement_aging,
                &was.price_code
            ),
            "{code}'s terms"
        );
    }
    assert_eq!(store.rows("SELECT * FROM sync_runs ORDER BY id"), runs);
    assert_eq!(other(&store), others);
    // No stored JSON holds a generated Rust name any more.
    let snake = store.rows(
        "SELECT 'group ' || code, key FROM customer_groups, json_each(settings) \
         WHERE key LIKE '%\\_%' ESCAPE '\\' UNION ALL \
         SELECT 'customer ' || code, key FROM customers, json_each(terms) \
         WHERE key LIKE '%\\_%' ESCAPE '\\' UNION ALL \
         SELECT 'AR', key FROM ar_settings, json_each(settings) WHERE key LIKE '%\\_%' ESCAPE '\\'",
    );
    assert_eq!(snake, Vec::<Vec<String>>::new());

    // The ledger: the same rows; each digest of a declaration in the
    // plugin's normal form converted to format 2 (that of the same
    // declaration read now), the loosely written one kept as format 1.
    let now = store.rows(
        "SELECT code, source_file, content_hash, applied_version, applied_at, removed \
         FROM sync_ledger ORDER BY code",
    );
    assert_eq!(now.len(), ledger.len());
    let files = daemon::config::scan(&store.config(), host_harness::messages::Locale::En)
        .expect("scan")
        .0;
    let declared = daemon::config::parse(files).expect("parse");
    for (before, after) in ledger.iter().zip(&now) {
        let code = &before[0];
        assert_eq!(
            (&before[..2], &before[3..]),
            (&after[..2], &after[3..]),
            "{code}: the ledger row but its digest"
        );
        if before[2].is_empty() {
            assert_eq!(after[2], "", "{code}: a removed group has no digest");
            continue;
        }
        let decl = declared
            .groups
            .iter()
            .find(|d| d.group.code().eq_ignore_ascii_case(code))
            .unwrap_or_else(|| panic!("{code} is declared"));
        match Recorded::parse(&after[2]) {
            Some(Recorded::Current(d)) => {
                assert_eq!(
                    d, decl.digest,
                    "{code}: the format-2 digest of its declaration"
                );
            }
            Some(Recorded::V1(d)) => {
                assert_eq!(code, "FLOW", "only the loose declaration keeps format 1");
                assert_eq!(after[2], format!("{}{}", digest::V1, before[2]));
                assert_eq!(
                    d,
                    digest::declaration_v1(&decl.group.unpack(), decl.adopt),
                    "{code}: the format-1 digest is its declaration's"
                );
            }
            None => panic!("{code}: no digest in {:?}", after[2]),
        }
    }

    // The daemon's next runs on the same files change nothing: with the
    // files as they were (the run log's digest), and touched so that every
    // declaration is compared with its ledger digest.
    let nothing = "0 to create, 0 to update, 0 to adopt, 0 to deactivate, 0 to delete, 5 unchanged";
    let (exit, out) = store.erp_sync(&["plan"]);
    assert_eq!(exit, 0, "{out}");
    assert!(out.contains(nothing), "{out}");
    let path = store.config().join("groups.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\n# touched after the migration\n")).expect("write");
    let (exit, out) = store.erp_sync(&["plan"]);
    assert_eq!(exit, 0, "{out}");
    assert!(out.contains(nothing), "{out}");
    let (exit, out) = store.erp_sync(&["apply", "--once"]);
    assert_eq!(exit, 0, "{out}");
    assert!(out.contains(nothing), "{out}");
    assert_eq!(store.rows(GROUP_ROWS), groups, "no group was written");

    // What reads JSON by path, and compares stored terms, reads the new keys.
    let (exit, list) = store.erp_host(&[
        "group",
        "list",
        "--sort",
        "credit-limit",
        "--desc",
        "--columns",
        "code,credit-limit,currency,receivable-account,price-list",
    ]);
    assert_eq!(exit, 0, "{list}");
    let first = list.lines().nth(1).unwrap_or_default();
    assert!(
        first.contains("FALL") && first.contains("50000000.00") && first.contains("VIP"),
        "{list}"
    );
    // Price lists: HALL's Wholesale, then FALL's VIP, then the rest (none).
    let (exit, by_price) = store.erp_host(&["group", "list", "--sort", "price-list", "--desc"]);
    assert_eq!(exit, 0, "{by_price}");
    let order: Vec<&str> = by_price
        .lines()
        .skip(1)
        .take(2)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(order, ["HALL", "FALL"], "{by_price}");
    let (exit, terms) = store.erp_host(&["group", "apply-terms", "HALL"]);
    assert_eq!(exit, 0, "{terms}");
    assert!(terms.contains("nothing to change"), "{terms}");
    let (exit, shown) = store.erp_host(&["group", "show", "HALL"]);
    assert_eq!(exit, 0, "{shown}");
    assert!(
        shown.contains("Due Count                            2"),
        "{shown}"
    );

    // The history starts at the migration: nothing recorded for what was
    // there before, and nothing guessed of a group as of before it.
    let (exit, history) = store.erp_host(&["group", "history", "HALL"]);
    assert_eq!(exit, 0, "{history}");
    assert_eq!(history, "no change to group HALL is recorded\n");
    let (exit, refused) = store.erp_host(&["group", "show", "HALL", "--as-of", "2026-01-01"]);
    assert_eq!(exit, 1, "{refused}");
    assert!(
        refused.contains("cannot be shown as of 2026-01-01T23:59:59Z: its history begins at"),
        "{refused}"
    );
    let (exit, _) = store.erp_host(&["group", "edit", "HALL", "--name", "Hall after"]);
    assert_eq!(exit, 0);
    let (exit, history) = store.erp_host(&["group", "history", "HALL"]);
    assert_eq!(exit, 0, "{history}");
    assert!(history.contains("Group Name"), "{history}");
    assert!(history.contains("-> Hall after"), "{history}");
}
