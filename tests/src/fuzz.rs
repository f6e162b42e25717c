//! Fuzz target bodies, compiled and exercised by stable CI (the seed replay
//! in `tests/e2e/fuzz_seeds.rs`) and driven by libFuzzer from `fuzz/`.
//!
//! Each target reads arbitrary bytes, drives the real host (the real plugin
//! component, a real SQLite file copied from a prepared template) and panics
//! only when an invariant is broken; errors our APIs return are fine.
//!
//! - [`config`]: the bytes as TOML files (or a recipe for them) run through
//!   the daemon's scan, parse, plan and apply, over several rounds;
//! - [`validate`]: groups and AR settings through the plugin's bulk and
//!   single validation, then through the host's validated writes;
//! - [`gl_batch`]: AR transactions into GL batches, posted and deleted.
//!
//! Invariants checked everywhere: no panic; a plugin call never traps or runs
//! out of its limits on small inputs; a refused or failed operation leaves the
//! store exactly as it was; the stored group tree stays well formed (`0000`
//! an active leaf, parents exist and are group nodes, no cycles, codes and
//! names as the rules define them).

mod config;
mod gl;
mod input;
mod validate;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use host_harness::wit::{Account, AccountKind, Customer, CustomerGroup};
use host_harness::{Actor, Admin, Db, PLUGIN_WASM, admin, sample};
use rusqlite::types::ValueRef;
use tempfile::TempDir;

pub use config::config;
pub use gl::gl_batch;
pub use validate::validate;

/// A fuzz target: arbitrary bytes in, a panic only for a broken invariant.
pub type Target = fn(&[u8]);

/// The targets by name, for the seed replay: `(name, function)`.
pub const TARGETS: [(&str, Target); 3] = [
    ("config", config),
    ("validate", validate),
    ("gl_batch", gl_batch),
];

/// A host database of its own, copied from a template: dropped with its
/// directory.
struct Fresh {
    admin: Admin,
    dir: TempDir,
}

impl Fresh {
    fn db(&self) -> &Db {
        self.admin.db()
    }

    fn root(&self) -> PathBuf {
        self.dir.path().to_owned()
    }
}

/// Which prepared database a target starts from.
#[derive(Clone, Copy)]
enum Template {
    /// Sample chart, reference data and AR settings; plugin installed; only
    /// the default group.
    Bare,
    /// [`Template::Bare`] with the sample groups and more: see [`company`].
    Company,
}

/// A fresh copy of a template database, with its plugin loaded (compiled
/// once per process).
fn fresh(template: Template) -> Fresh {
    static BARE: OnceLock<Vec<u8>> = OnceLock::new();
    static COMPANY: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = match template {
        Template::Bare => BARE.get_or_init(|| make_template(|_| {})),
        Template::Company => COMPANY.get_or_init(|| make_template(company)),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("erp.sqlite");
    std::fs::write(&path, bytes).expect("copy the template database");
    let db = Db::open(&path).expect("open the copied database");
    let admin = Admin::open(db).expect("load the installed plugin");
    Fresh { admin, dir }
}

/// Builds a template database and returns its bytes.
fn make_template(build: fn(&Admin)) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("erp.sqlite");
    {
        let db = Db::open(&path).expect("create the template database");
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "fuzz").expect("install the plugin");
        let admin = Admin::open(db).expect("load the plugin");
        build(&admin);
        admin
            .db()
            .conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint the template");
    }
    std::fs::read(&path).expect("read the template database")
}

/// Whether `E2E_FUZZ_TRACE` is set: then each target says what it did
/// (outcomes, counts), to see what seeds reach.
fn tracing() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("E2E_FUZZ_TRACE").is_some())
}

/// Prints what a target did when [`tracing`].
macro_rules! trace {
    ($($arg:tt)*) => {
        if $crate::fuzz::tracing() {
            eprintln!($($arg)*);
        }
    };
}
use trace;

fn fuzz_actor(locale: &str) -> Actor {
    Actor {
        user: "fuzz".into(),
        locale: locale.into(),
        via: host_harness::actor::Via::Cli,
    }
}

/// The sample company and a little more: the sample groups (`LOKAL` node
/// with `L001`, `VIP`, `EXPO`; `EXPORT` in USD), `NODE2` (a node under
/// `LOKAL`) holding `D1`, `JP` in yen; customers `C1` (L001), `V1` (VIP),
/// `X1` (EXPORT, USD), `J1` (JP, JPY), `I1` (L001, inactive); an AR
/// transaction of `C1`; accounts `8000` (an inactive expense account) and
/// `1190` (a second receivable account).
fn company(admin: &Admin) {
    let actor = fuzz_actor("en");
    let mut groups = sample::groups();
    groups.push(CustomerGroup {
        parent: Some("LOKAL".into()),
        is_group: true,
        ..CustomerGroup::new("NODE2", "Second level")
    });
    groups.push(CustomerGroup {
        parent: Some("NODE2".into()),
        ..CustomerGroup::new("D1", "Deep 1")
    });
    let mut jp = CustomerGroup::new("JP", "Japan");
    jp.settings.currency = Some("JPY".into());
    groups.push(jp);
    for group in groups {
        admin.create_group(group, &actor).expect("template group");
    }
    for (code, name, kind, active) in [
        ("8000", "Old expenses", AccountKind::Expense, false),
        ("1190", "Other debtors", AccountKind::Receivable, true),
    ] {
        admin
            .db()
            .create_account(&Account {
                code: code.into(),
                name: name.into(),
                kind,
                active,
            })
            .expect("template account");
    }
    for (code, group, currency) in [
        ("C1", "L001", "IDR"),
        ("V1", "VIP", "IDR"),
        ("X1", "EXPORT", "USD"),
        ("J1", "JP", "JPY"),
        ("I1", "L001", "IDR"),
    ] {
        admin
            .create_customer(customer(code, group, currency, true), &actor)
            .expect("template customer");
    }
    admin
        .db()
        .conn()
        .execute("UPDATE customers SET active = 0 WHERE code = 'I1'", [])
        .expect("deactivate I1");
    admin
        .db()
        .conn()
        .execute(
            "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, \
             account, reference) VALUES ('C1', 'invoice', '2026-01-15', 'IDR', 500000, '4000', 'T-1')",
            [],
        )
        .expect("template transaction");
}

fn customer(code: &str, group: &str, currency: &str, active: bool) -> Customer {
    Customer {
        code: code.into(),
        name: format!("Customer {code}"),
        group: group.into(),
        currency: currency.into(),
        active,
        payment_terms: None,
        due_terms: None,
        prompt_payment_discount: None,
        statement_aging: None,
        price_code: None,
    }
}

/// Every row of a query, each as its values joined: for "nothing changed"
/// comparisons.
fn dump(db: &Db, sql: &str) -> Vec<String> {
    let conn = db.conn();
    let mut stmt = conn.prepare(sql).expect("prepare a snapshot query");
    let columns = stmt.column_count();
    stmt.query_map([], |row| {
        (0..columns)
            .map(|i| {
                row.get_ref(i).map(|v| match v {
                    ValueRef::Null => "NULL".to_owned(),
                    ValueRef::Integer(i) => i.to_string(),
                    ValueRef::Real(f) => f.to_string(),
                    ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("blob of {} bytes", b.len()),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|values| values.join("|"))
    })
    .expect("run a snapshot query")
    .collect::<Result<_, _>>()
    .expect("read a snapshot row")
}

/// The groups as stored, without audit stamps.
fn groups_state(db: &Db) -> Vec<String> {
    dump(
        db,
        "SELECT code, name, parent, is_group, inactive, settings, version \
         FROM customer_groups ORDER BY code",
    )
}

/// Whether a stored code is what the rules allow: 1 to 8 letters A-Z or
/// digits.
fn code_ok(code: &str) -> bool {
    (1..=8).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Whether a stored name is what the rules allow: trimmed, not blank, at
/// most 60 characters, no control characters, and no text-direction
/// embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069; the
/// plugin's `name.direction-override`, `plugin/src/validate.rs`: they make
/// one name show as another; direction marks are allowed).
fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.trim() == name
        && name.chars().count() <= 60
        && !name.chars().any(char::is_control)
        && !name
            .chars()
            .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

/// Panics unless the stored group tree is well formed.
fn check_tree(db: &Db, context: &str) {
    let rows: Vec<(String, String, Option<String>, bool, bool)> = {
        let conn = db.conn();
        let mut stmt = conn
            .prepare("SELECT code, name, parent, is_group, inactive FROM customer_groups")
            .expect("prepare");
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query groups")
        .collect::<Result<_, _>>()
        .expect("read groups")
    };
    let by_code: HashMap<&str, (Option<&str>, bool)> = rows
        .iter()
        .map(|(code, _, parent, is_group, _)| (code.as_str(), (parent.as_deref(), *is_group)))
        .collect();
    match rows.iter().find(|r| r.0 == "0000") {
        None => panic!("{context}: the default group 0000 is gone"),
        Some((_, _, _, is_group, inactive)) => assert!(
            !is_group && !inactive,
            "{context}: 0000 must stay an active leaf (is_group {is_group}, inactive {inactive})"
        ),
    }
    for (code, name, parent, _, _) in &rows {
        assert!(
            code_ok(code),
            "{context}: stored code {code:?} breaks the code rules"
        );
        assert!(
            name_ok(name),
            "{context}: group {code} has the name {name:?}, which breaks the name rules"
        );
        if let Some(parent) = parent {
            match by_code.get(parent.as_str()) {
                None => panic!("{context}: group {code} has the missing parent {parent}"),
                Some((_, false)) => {
                    panic!(
                        "{context}: group {code} has the parent {parent}, which is not a group node"
                    )
                }
                Some(_) => {}
            }
        }
        let mut at = code.as_str();
        for _ in 0..=rows.len() {
            match by_code.get(at).and_then(|(p, _)| *p) {
                Some(parent) => at = parent,
                None => break,
            }
            assert!(at != code, "{context}: group {code} is its own ancestor");
        }
    }
}
