//! The ledger never disagrees with itself (issue 11, "Ledger: one truth"):
//! a posted batch is final in the schema, balances come from what the
//! plugin posted, and what a batch would refuse is refused at entry.

use e2e_tests::TestHost;

use crate::gl::{enter, host};

/// Everything the GL tables hold, for "nothing changed" checks.
fn ledger_state(host: &TestHost) -> Vec<String> {
    let db = host.db();
    let conn = db.conn();
    let mut state = Vec::new();
    for table in [
        "gl_batches",
        "gl_batch_members",
        "gl_batch_totals",
        "gl_batch_postings",
        "gl_entries",
        "gl_settings",
        "ar_transactions",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .expect("prepare");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |row| {
                let mut text = format!("{table}:");
                for i in 0..columns {
                    text.push_str(&format!(" {:?}", row.get_ref(i)?));
                }
                Ok(text)
            })
            .expect("query");
        state.extend(rows.map(|r| r.expect("row")));
    }
    state
}

/// A host with batch 1 posted (two transactions), batch 2 unposted (one),
/// and transaction 4 in no batch.
fn posted_and_unposted() -> TestHost {
    let host = host();
    let invoice = |date: &str, amount: &str, reference: &str| {
        enter(
            &host,
            &[
                "--kind",
                "invoice",
                "--date",
                date,
                "--customer",
                "C1",
                "--amount",
                amount,
                "--account",
                "4000",
                "--reference",
                reference,
            ],
        )
    };
    invoice("2026-03-01", "1000", "INV-1");
    invoice("2026-03-02", "2000", "INV-2");
    host.cli(&["gl", "batch", "create"]).ok();
    host.cli(&["gl", "batch", "post", "1"]).ok();
    invoice("2026-03-03", "3000", "INV-3");
    host.cli(&["gl", "batch", "create"]).ok();
    invoice("2026-03-04", "4000", "INV-4");
    host
}

#[test]
fn every_statement_that_would_change_a_posted_batch_or_the_ledger_is_refused() {
    let host = posted_and_unposted();
    let before = ledger_state(&host);
    assert!(before.iter().any(|r| r.starts_with("gl_entries:")));
    let cases: &[(&str, &str)] = &[
        // gl_batches
        (
            "gl_batches",
            "UPDATE gl_batches SET debit_total = 0 WHERE id = 1",
        ),
        (
            "gl_batches",
            "UPDATE gl_batches SET status = 'unposted' WHERE id = 1",
        ),
        ("gl_batches", "DELETE FROM gl_batches WHERE id = 1"),
        (
            "gl_batches",
            "INSERT INTO gl_batches (status, base_currency, plugin_sha256, created_by, created_at) \
             VALUES ('posted', 'IDR', 'x', 'me', 'now')",
        ),
        // gl_batch_members
        (
            "gl_batch_members",
            "INSERT INTO gl_batch_members (transaction_id, batch_id) VALUES (4, 1)",
        ),
        (
            "gl_batch_members",
            "UPDATE gl_batch_members SET batch_id = 2 WHERE batch_id = 1",
        ),
        (
            "gl_batch_members",
            "UPDATE gl_batch_members SET batch_id = 1 WHERE batch_id = 2",
        ),
        (
            "gl_batch_members",
            "DELETE FROM gl_batch_members WHERE batch_id = 1",
        ),
        // gl_batch_totals
        (
            "gl_batch_totals",
            "INSERT INTO gl_batch_totals (batch_id, date, account, currency, debit, credit, amount, lines) \
             VALUES (1, '2026-03-09', '1100', 'IDR', 5, 0, 5, 1)",
        ),
        (
            "gl_batch_totals",
            "UPDATE gl_batch_totals SET debit = debit + 1 WHERE batch_id = 1",
        ),
        (
            "gl_batch_totals",
            "UPDATE gl_batch_totals SET batch_id = 1 WHERE batch_id = 2",
        ),
        (
            "gl_batch_totals",
            "DELETE FROM gl_batch_totals WHERE batch_id = 1",
        ),
        // gl_batch_postings
        (
            "gl_batch_postings",
            "INSERT INTO gl_batch_postings (batch_id, chunk, postings) VALUES (1, 99, x'00')",
        ),
        (
            "gl_batch_postings",
            "UPDATE gl_batch_postings SET postings = x'' WHERE batch_id = 1",
        ),
        (
            "gl_batch_postings",
            "DELETE FROM gl_batch_postings WHERE batch_id = 1",
        ),
        // gl_entries
        (
            "gl_entries",
            "INSERT INTO gl_entries (batch_id, date, account, currency, debit, credit, amount, description) \
             VALUES (1, '2026-03-09', '1100', 'IDR', 5, 0, 5, 'AR batch 1')",
        ),
        (
            "gl_entries",
            "INSERT INTO gl_entries (batch_id, date, account, currency, debit, credit, amount, description) \
             SELECT batch_id, date, account, currency, debit, credit, amount, description \
             FROM gl_entries LIMIT 1",
        ),
        (
            "gl_entries",
            "INSERT INTO gl_entries (batch_id, date, account, currency, debit, credit, amount, description) \
             SELECT batch_id, date, account, currency, debit, credit, amount, 'AR batch ' || batch_id \
             FROM gl_batch_totals WHERE batch_id = 2",
        ),
        ("gl_entries", "UPDATE gl_entries SET debit = 0"),
        ("gl_entries", "DELETE FROM gl_entries"),
        // the posted transactions and the ledger's settings
        (
            "ar_transactions",
            "UPDATE ar_transactions SET amount_minor = 1 WHERE id = 1",
        ),
        (
            "ar_transactions",
            "DELETE FROM ar_transactions WHERE id = 1",
        ),
        (
            "gl_settings",
            "UPDATE gl_settings SET base_currency = 'USD'",
        ),
    ];
    let db = host.db();
    let conn = db.conn();
    for (table, sql) in cases {
        let refused = conn.execute(sql, []);
        assert!(refused.is_err(), "{table}: `{sql}` was allowed");
    }
    drop(conn);
    assert_eq!(
        ledger_state(&host),
        before,
        "a refused statement changed something"
    );
    // The lifted member guard is back after a batch is created and after
    // one that fails, and posting still writes exactly the batch's sums.
    let guard = |host: &TestHost| -> i64 {
        host.db()
            .conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'gl_batch_members_posted_no_insert'",
                [],
                |r| r.get(0),
            )
            .expect("guard")
    };
    host.cli(&["gl", "batch", "create"]).ok();
    assert_eq!(guard(&host), 1);
    // Nothing to do: the batch's transaction rolls back (exit 0).
    host.cli(&["gl", "batch", "create"]).ok();
    assert_eq!(guard(&host), 1);
    // A batch the plugin refuses rolls back with the guard in place.
    let db = host.db();
    db.conn()
        .execute(
            "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor) \
             VALUES ('C1', 'invoice', '2026-03-05', 'IDR', -100)",
            [],
        )
        .expect("a bad row, as old data might hold");
    host.cli(&["gl", "batch", "create"]).failed();
    assert_eq!(guard(&host), 1);
    assert_eq!(host.db().batches().expect("batches").len(), 3);
    host.cli(&["gl", "batch", "post", "2"]).ok();
    let (entries, totals): (i64, i64) = host
        .db()
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM gl_entries e JOIN gl_batch_totals t \
                     ON t.batch_id = e.batch_id AND t.date = e.date AND t.account = e.account \
                     AND t.currency = e.currency AND t.debit = e.debit AND t.credit = e.credit), \
                    (SELECT count(*) FROM gl_batch_totals t JOIN gl_batches b ON b.id = t.batch_id \
                     WHERE b.status = 'posted')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    assert_eq!(entries, totals);
}

#[test]
fn a_negative_limit_is_refused_naming_its_own_field_and_no_minor_units() {
    let host = TestHost::new();
    let admin = host.admin();
    for (locale, shared, plain) in [
        (
            "en",
            "Shared Credit Limit cannot be negative",
            "Credit Limit cannot be negative",
        ),
        (
            "id",
            "Batas Kredit Bersama tidak boleh negatif",
            "Batas Kredit tidak boleh negatif",
        ),
    ] {
        let mut group = e2e_tests::group("NEG", "Negative");
        group.settings.shared_credit_limit = Some(-525);
        group.settings.credit_limit = Some(-1);
        let Err(host_harness::admin::AdminError::Rejected(issues)) =
            admin.create_group(group, &e2e_tests::actor(locale))
        else {
            panic!("a negative limit was accepted");
        };
        let message = |field: &str| {
            issues
                .iter()
                .find(|i| i.field == field)
                .map(|i| i.message.clone())
                .unwrap_or_else(|| panic!("no issue for {field}: {issues:?}"))
        };
        assert_eq!(message("shared-credit-limit"), shared);
        assert_eq!(message("credit-limit"), plain);
        assert!(
            issues.iter().all(|i| !i.message.contains("525")),
            "{issues:?}"
        );
    }
}
