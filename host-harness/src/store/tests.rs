//! The store's unit tests: the plugin's questions and their plans, the
//! default group, codes, the page cache, and the migrations.

use rusqlite::{Connection, params};

use super::facts::{
    ACCOUNT_BY_CODE, CHILD_GROUPS, GROUP_NAMED, REFERENCE_EXISTS, customers_of_group, group_by_code,
};
use super::groups::escape_like;
use super::*;
use crate::wit::{CustomerGroup, MatchMode, ReferenceKind};

/// The statements that answer the plugin's single questions.
fn single_questions() -> [String; 6] {
    [
        ACCOUNT_BY_CODE.to_owned(),
        CHILD_GROUPS.to_owned(),
        GROUP_NAMED.to_owned(),
        REFERENCE_EXISTS.to_owned(),
        group_by_code(),
        customers_of_group(),
    ]
}

#[test]
fn the_plugins_questions_are_answered_from_an_index_without_a_sort() {
    let db = Db::open_in_memory().expect("open");
    let conn = db.conn();
    for sql in single_questions() {
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

/// Writes a store at schema `version` (every migration up to it, steps
/// included) holding `data`.
fn store_at(path: &Path, version: usize, data: &str) {
    let mut conn = Connection::open(path).expect("open");
    let tx = conn.transaction().expect("tx");
    for (sql, step) in &MIGRATIONS[..version] {
        tx.execute_batch(sql).expect("migration");
        if let Some(step) = step {
            step(&tx).expect("step");
        }
    }
    tx.pragma_update(None, "user_version", version as i64)
        .expect("version");
    tx.execute_batch(data).expect("data");
    tx.commit().expect("commit");
}

#[test]
fn migration_8_keeps_every_row_marks_old_duplicates_and_enforces_identity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("host.sqlite");
    {
        // A store at version 7 holding what versions before it let in:
        // a file imported twice (rows 1 and 2), rows without a
        // reference, a reversal, and a batched row.
        store_at(
            &path,
            7,
            "INSERT INTO customer_groups (code, name, created_by, created_at, updated_by, updated_at)
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
        );
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

#[test]
fn migration_12_keeps_every_rate_and_stores_no_rate_as_null() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("host.sqlite");
    {
        // A store at version 11: rates as the host stored them then (a
        // blank base-currency rate as 1000000000), a batched row, a
        // reversal and an old duplicate.
        store_at(
            &path,
            11,
            "INSERT INTO customer_groups (code, name, created_by, created_at, updated_by, updated_at)
                     VALUES ('G', 'G', 'me', 'now', 'me', 'now');
                 INSERT INTO customers (code, name, group_code, currency) VALUES ('C', 'C', 'G', 'IDR');
                 INSERT INTO customers (code, name, group_code, currency) VALUES ('X', 'X', 'G', 'USD');
                 INSERT INTO ar_transactions (id, customer_code, kind, date, currency, rate_nanos,
                                              amount_minor, reference, group_code, reverses,
                                              duplicate_of, receivable_minor, receivable_base)
                     VALUES (1, 'C', 'write-off', '2026-01-01', 'IDR', 1000000000, 5, 'W-1', 'G',
                             NULL, NULL, -5, -5),
                            (2, 'X', 'invoice', '2026-01-01', 'USD', 15500000000000, 7, 'I-1', 'G',
                             NULL, NULL, 7, 108500),
                            (3, 'C', 'write-off', '2026-01-02', 'IDR', 1000000000, -5, 'W-1', 'G',
                             1, NULL, 5, 5),
                            (4, 'C', 'write-off', '2026-01-02', 'IDR', 1000000000, 5, 'W-1', 'G',
                             NULL, 1, NULL, NULL);
                 INSERT INTO gl_batches (id, base_currency, plugin_sha256, transactions, created_by, created_at)
                     VALUES (9, 'IDR', 'x', 1, 'me', '2026-01-05T00:00:00Z');
                 INSERT INTO gl_batch_members (transaction_id, batch_id) VALUES (2, 9);",
        );
    }
    let db = Db::open(&path).expect("migrated");
    let conn = db.conn();
    type Row = (i64, Option<i64>, i64, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = conn
        .prepare(
            "SELECT id, rate_nanos, amount_minor, reverses, duplicate_of, receivable_base              FROM ar_transactions ORDER BY id",
        )
        .expect("prepare")
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        rows,
        [
            (1, Some(1_000_000_000), 5, None, None, Some(-5)),
            (2, Some(15_500_000_000_000), 7, None, None, Some(108_500)),
            (3, Some(1_000_000_000), -5, Some(1), None, Some(5)),
            (4, Some(1_000_000_000), 5, None, Some(1), None),
        ]
    );
    // No rate given is NULL now, not a default of 1; a rate is above 0.
    conn.execute(
        "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, reference) \
             VALUES ('C', 'write-off', '2026-02-01', 'IDR', 1, 'W-2')",
        [],
    )
    .expect("no rate");
    let rate: Option<i64> = conn
        .query_row(
            "SELECT rate_nanos FROM ar_transactions WHERE reference = 'W-2'",
            [],
            |r| r.get(0),
        )
        .expect("rate");
    assert_eq!(rate, None);
    let err = conn
        .execute(
            "INSERT INTO ar_transactions (customer_code, kind, date, currency, rate_nanos, amount_minor) \
                 VALUES ('C', 'write-off', '2026-02-01', 'IDR', 0, 1)",
            [],
        )
        .expect_err("a rate of 0");
    assert!(err.to_string().contains("CHECK"), "{err}");
    // The identity, the guards and the old table's absence came with it.
    let err = conn
        .execute(
            "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, reference) \
                 VALUES ('C', 'write-off', '2026-02-01', 'IDR', 1, 'W-1')",
            [],
        )
        .expect_err("a duplicate");
    assert!(err.to_string().contains("UNIQUE"), "{err}");
    for sql in [
        "UPDATE ar_transactions SET rate_nanos = NULL WHERE id = 2",
        "DELETE FROM ar_transactions WHERE id = 2",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("cannot"), "{sql}: {err}");
    }
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%ar_transactions_v11%'",
            [],
            |r| r.get(0),
        )
        .expect("schema");
    assert_eq!(left, 0);
}

/// The schema's kind CHECK is a guard that mirrors the contract's
/// `transaction-kind` enum, whose list it must equal: a kind added to the
/// contract needs a migration, and this test says so.
#[test]
fn the_schemas_transaction_kinds_are_the_contracts() {
    let db = Db::open_in_memory().expect("open");
    let sql: String = db
        .conn()
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ar_transactions'",
            [],
            |row| row.get(0),
        )
        .expect("the table");
    let schema: std::collections::BTreeSet<&str> = sql
        .split("kind = '")
        .skip(1)
        .filter_map(|rest| rest.split('\'').next())
        .collect();
    let contract: std::collections::BTreeSet<&str> = crate::wit::TransactionKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .collect();
    assert_eq!(schema, contract, "{sql}");
}

#[test]
fn the_plugins_questions_are_compiled_once_whatever_they_are_asked() {
    let mut db = Db::open_in_memory().expect("open");
    let mut parent = DEFAULT_GROUP.to_owned();
    for code in ["A", "B", "C"] {
        let mut group = CustomerGroup::new(code, code);
        group.parent = Some(parent.clone());
        db.create_group(&group, "test").expect("group");
        parent = code.to_owned();
    }
    for code in ["0000", "A", "B", "C", "Z", "A"] {
        Facts::child_groups(&mut db, code).expect("children");
        Facts::find_group(&mut db, code).expect("group");
        Facts::find_group_named(&mut db, code, "B").expect("named");
        Facts::find_account(&mut db, code).expect("account");
        Facts::reference_exists(&mut db, ReferenceKind::Currency, code).expect("reference");
        Facts::customers(&mut db, code).expect("customers");
    }
    let conn = db.conn();
    for sql in single_questions() {
        let stmt = conn.prepare_cached(&sql).expect("cached");
        assert_eq!(
            stmt.get_status(rusqlite::StatementStatus::RePrepare),
            0,
            "{sql}\nwas compiled again for a new value"
        );
    }
}

#[test]
fn the_daemons_ownership_and_drift_read_from_its_ledger() {
    let db = Db::open_in_memory().expect("open");
    for code in ["A", "B", "C"] {
        db.create_group(&CustomerGroup::new(code, code), "test")
            .expect("group");
    }
    db.conn()
        .execute_batch(
            "INSERT INTO sync_ledger (code, source_file, content_hash, applied_version, applied_at, removed) VALUES
             ('A', 'groups/a.toml', '', 1, '2026-01-01T00:00:00Z', 0),
             ('B', 'groups/a.toml', '', 0, '2026-01-01T00:00:00Z', 0),
             ('C', 'gone.toml', '', 1, '2026-01-01T00:00:00Z', 1),
             ('GONE', 'b.toml', '', 1, '2026-01-01T00:00:00Z', 0);",
        )
        .expect("ledger");
    let a = db.sync_owner("A").expect("owner").expect("owned");
    assert_eq!(
        (a.file.as_str(), a.applied_version, a.removed),
        ("groups/a.toml", 1, false)
    );
    assert_eq!(db.sync_owner("0000").expect("owner"), None);
    let owners = db.sync_owners(["A", "C", "0000"]).expect("owners");
    assert_eq!(owners.len(), 2);
    assert!(owners["C"].removed);
    // B was edited since it was applied, GONE deleted; C is no longer declared.
    assert_eq!(db.drifted_codes().expect("drift"), ["B", "GONE"]);
    let status = db.sync_status(5).expect("status");
    assert_eq!((status.owned, status.removed), (3, 1));
    assert!(status.runs.is_empty());
}

#[test]
fn a_start_of_name_search_reads_its_range_of_the_name_index_not_the_table() {
    use super::groups::list_sql;
    let db = Db::open_in_memory().expect("open");
    let conn = db.conn();
    let query = GroupQuery {
        key: GroupColumn::Name,
        mode: MatchMode::Start,
        text: Some("Lok".into()),
        limit: Some(50),
        ..GroupQuery::default()
    };
    let (count, rows) = list_sql(&query);
    for sql in [count, rows] {
        let mut plan = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let mut found = plan.raw_query();
        let mut steps: Vec<String> = Vec::new();
        while let Some(row) = found.next().expect("plan row") {
            steps.push(row.get(3).expect("detail"));
        }
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SEARCH") && s.contains("customer_groups_by_name"))
                && !steps.iter().any(|s| s.starts_with("SCAN")),
            "{sql}\nis planned as {steps:?}"
        );
    }
}

#[test]
fn a_start_of_field_search_matches_as_like_does_in_any_case() {
    let db = Db::open_in_memory().expect("open");
    for (code, name) in [
        ("LOK1", "Lokal satu"),
        ("LOK2", "LOKAL dua"),
        ("LK", "Lo_kal"),
        ("PCT", "50% off"),
        ("UNI", "Lökal"),
    ] {
        db.create_group(&CustomerGroup::new(code, name), "test")
            .expect("group");
    }
    let found = |key, text: &str| -> Vec<String> {
        let page = db
            .groups(&GroupQuery {
                key,
                mode: MatchMode::Start,
                text: Some(text.into()),
                ..GroupQuery::default()
            })
            .expect("search");
        assert_eq!(page.total as usize, page.groups.len());
        page.groups.into_iter().map(|r| r.group.code).collect()
    };
    assert_eq!(found(GroupColumn::Name, "lokal"), ["LOK1", "LOK2"]);
    assert_eq!(
        found(GroupColumn::Name, "Lo_"),
        ["LK"],
        "_ is not a wildcard"
    );
    assert_eq!(
        found(GroupColumn::Name, "50%"),
        ["PCT"],
        "% is not a wildcard"
    );
    assert_eq!(found(GroupColumn::Name, "Lö"), ["UNI"]);
    assert_eq!(
        found(GroupColumn::Code, "lok"),
        ["LOK1", "LOK2"],
        "codes in any case"
    );
}

/// A store from before companies (version 18) becomes one company, `MAIN`,
/// the default, without loss: its ledger and AR settings, every account,
/// customer and batch are MAIN's; the history it had is kept; the schema
/// then holds each company's records to its own chart.
#[test]
fn migration_19_makes_one_company_of_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("host.sqlite");
    store_at(
        &path,
        18,
        "INSERT INTO accounts (code, name, kind) VALUES ('1100', 'Debtors', 'receivable'),
                                                        ('7900', 'Rounding', 'expense');
         UPDATE gl_settings SET base_currency = 'IDR', rounding_account = '7900';
         UPDATE ar_settings SET settings = '{\"receivable-account\":\"1100\"}';
         INSERT INTO customers (code, name, group_code, currency) VALUES ('C', 'C', '0000', 'IDR');
         INSERT INTO gl_batches (id, base_currency, plugin_sha256, created_by, created_at)
             VALUES (3, 'IDR', 'x', 'me', '2026-01-05T00:00:00Z');",
    );
    let db = Db::open(&path).expect("migrated");
    let companies = db.companies().expect("companies");
    assert_eq!(companies.len(), 1);
    let main = &companies[0];
    assert_eq!(
        (
            main.code.as_str(),
            main.is_default,
            main.base_currency.as_str()
        ),
        ("MAIN", true, "IDR")
    );
    assert_eq!(main.rounding_account.as_deref(), Some("7900"));
    assert_eq!(
        db.ar_settings().expect("ar").receivable_account.as_deref(),
        Some("1100")
    );
    assert_eq!(db.accounts_of("MAIN").expect("chart").len(), 2);
    assert_eq!(
        db.customer_company("C").expect("c").as_deref(),
        Some("MAIN")
    );
    assert_eq!(db.batch(3).expect("batch").expect("kept").company, "MAIN");
    assert!(!db.several_companies().expect("count"));

    // A second company has its settings from the start; each record stays
    // with its company; a rounding account is of the company's own chart;
    // MAIN's base currency is held by its batch, BETA's is free.
    db.write(|w| w.create_company("beta", "Beta", crate::actor::By::HOST))
        .expect("beta");
    assert_eq!(db.gl_settings_of("BETA").expect("ledger").base_currency, "");
    let conn = db.conn();
    for (sql, refusal) in [
        (
            "UPDATE accounts SET company = 'BETA' WHERE code = '1100'",
            "never moves",
        ),
        (
            "UPDATE gl_settings SET rounding_account = '7900' WHERE company = 'BETA'",
            "its company's chart",
        ),
        (
            "UPDATE gl_settings SET base_currency = 'USD' WHERE company = 'MAIN'",
            "cannot change",
        ),
        (
            "INSERT INTO accounts (code, name, kind, company) VALUES ('9', 'x', 'bank', 'NOPE')",
            "exists",
        ),
        ("DELETE FROM companies WHERE code = 'BETA'", "never deleted"),
        (
            "UPDATE companies SET is_default = 1 WHERE code = 'BETA'",
            "never change",
        ),
        (
            "INSERT INTO group_company_settings (group_code, company, settings) \
             VALUES ('0000', 'MAIN', '{}')",
            "its own settings",
        ),
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains(refusal), "{sql}: {err}");
    }
    conn.execute(
        "UPDATE gl_settings SET base_currency = 'USD' WHERE company = 'BETA'",
        [],
    )
    .expect("BETA has no batches");
}
