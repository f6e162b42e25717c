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

/// `erp-host transaction new` with these options; its id.
fn new(host: &TestHost, options: &str) -> i64 {
    let args: Vec<&str> = options.split_whitespace().collect();
    enter(host, &args)
}

/// Sum of (debit - credit) in base minor units over the ledger's receivable
/// (control) accounts.
fn control_balance(host: &TestHost) -> i64 {
    host.db()
        .conn()
        .query_row(
            "SELECT coalesce(sum(e.debit - e.credit), 0) FROM gl_entries e \
             JOIN accounts a ON a.code = e.account WHERE a.kind = 'receivable'",
            [],
            |r| r.get(0),
        )
        .expect("control balance")
}

/// The receivables report's total (the top-level groups, consolidated).
fn receivables_total(host: &TestHost) -> i64 {
    host_harness::report::receivables(&host.db(), None)
        .expect("report")
        .iter()
        .filter(|r| r.depth == 0)
        .map(|r| r.consolidated)
        .sum()
}

/// What the credit check weighs as the customer's exposure (its own line).
fn exposure(host: &TestHost, customer: &str) -> i64 {
    let report = host_harness::report::credit_check(
        host.admin().gl(),
        customer,
        0,
        Some(1_000_000_000),
        "en",
    )
    .expect("credit check");
    report
        .verdict
        .lines
        .iter()
        .find(|l| l.scope == host_harness::wit::CreditScope::Customer)
        .map(|l| l.exposure)
        .expect("a customer line (the customer has a limit)")
}

/// The invariant of issue 11.1 over every kind, foreign currencies included:
/// after posting, receivables by group in total are the control accounts'
/// balance, and each customer's exposure is its GL Debtor lines.
#[test]
fn receivables_and_exposure_are_the_ledgers_control_accounts_for_every_kind() {
    let host = host();
    for customer in ["C1", "X1", "J1"] {
        host.cli(&["customer", "credit-limit", customer, "900000000"])
            .ok();
    }
    let c1 = "--date 2026-03-01 --customer C1";
    new(
        &host,
        &format!(
            "--kind invoice {c1} --amount 1110000 --tax 110000 --account 4000 --tax-account 2200 --reference INV-1"
        ),
    );
    new(
        &host,
        &format!(
            "--kind credit-note {c1} --amount 111000 --tax 11000 --account 4000 --tax-account 2200 --reference CN-1"
        ),
    );
    new(
        &host,
        &format!("--kind journal {c1} --amount -5000 --account 4000 --reference JN-1"),
    );
    new(
        &host,
        &format!("--kind journal {c1} --amount 7000 --account 4000 --reference JN-2"),
    );
    new(
        &host,
        &format!("--kind receipt {c1} --amount 500000 --discount 10000 --reference RC-1"),
    );
    new(
        &host,
        &format!("--kind write-off {c1} --amount 1000 --reference WO-1"),
    );
    new(
        &host,
        &format!("--kind sales-discount {c1} --amount 2000 --reference SD-1"),
    );
    new(
        &host,
        &format!("--kind reward {c1} --amount 1500 --reference RW-2"),
    );
    // A gift from stock never touches GL Debtor: the customer owes the same.
    let before = exposure(&host, "C1");
    new(
        &host,
        &format!("--kind reward {c1} --amount 2500 --account 1200 --reference RW-1"),
    );
    assert_eq!(
        exposure(&host, "C1"),
        before,
        "a gift from stock changed what C1 owes"
    );
    let x1 = "--date 2026-03-02 --customer X1";
    new(
        &host,
        &format!(
            "--kind invoice {x1} --amount 100 --tax 33 --account 4000 --tax-account 2200 --rate 15555.55555 --reference INV-X"
        ),
    );
    new(
        &host,
        &format!("--kind receipt {x1} --amount 40 --rate 15600 --reference RC-X"),
    );
    new(
        &host,
        "--kind invoice --date 2026-03-03 --customer J1 --amount 1000 --account 4000 --rate 105.5 --reference INV-J",
    );
    host.cli(&["gl", "batch", "create"]).ok();
    host.cli(&["gl", "batch", "post", "1"]).ok();

    assert_eq!(receivables_total(&host), control_balance(&host));
    let lines = host.db().batch_lines(1, usize::MAX).expect("lines");
    for customer in ["C1", "X1", "J1"] {
        let owed: i64 = lines
            .iter()
            .filter(|l| l.role == "receivable")
            .filter(|l| {
                host.db()
                    .transaction(l.transaction)
                    .expect("transaction")
                    .is_some_and(|t| t.entered.customer == customer)
            })
            .map(|l| l.amount)
            .sum();
        assert_eq!(exposure(&host, customer), owed, "{customer}");
    }
    // The same, by hand for C1: 1,110,000 - 111,000 - 5,000 + 7,000 -
    // 500,000 - 1,000 - 2,000 - 1,500 (points), the stock gift nothing.
    assert_eq!(exposure(&host, "C1"), 49_650_000);
}

/// Issue 11.5: a transaction keeps the group it was entered under, so a
/// customer moved between groups with other control accounts never splits
/// the ledger from the report.
#[test]
fn reassigning_a_customer_with_an_open_balance_keeps_report_and_control_accounts_together() {
    let host = TestHost::with_sample_groups();
    for (code, receivable) in [("RA", "1100"), ("RB", "1110")] {
        host.cli(&[
            "group",
            "new",
            "--code",
            code,
            "--name",
            code,
            "--currency",
            "IDR",
            "--receivable",
            receivable,
        ])
        .ok();
    }
    host.cli(&[
        "customer",
        "new",
        "--code",
        "CR",
        "--name",
        "Moving",
        "--group",
        "RA",
        "--currency",
        "IDR",
    ])
    .ok();
    let c = "--customer CR --account 4000";
    new(
        &host,
        &format!("--kind invoice --date 2026-03-01 {c} --amount 300 --reference INV-1"),
    );
    host.cli(&["gl", "batch", "create"]).ok();
    host.cli(&["gl", "batch", "post", "1"]).ok();
    // Entered under RA, batched after the move: still RA's accounts.
    let late = new(
        &host,
        &format!("--kind invoice --date 2026-03-02 {c} --amount 50 --reference INV-2"),
    );
    host.cli(&["group", "reassign", "RA", "RB"]).ok();
    new(
        &host,
        "--kind receipt --date 2026-03-05 --customer CR --amount 300 --reference RC-1",
    );
    host.cli(&["gl", "batch", "create"]).ok();
    host.cli(&["gl", "batch", "post", "2"]).ok();

    let debtor_line = host
        .db()
        .batch_lines(2, usize::MAX)
        .expect("lines")
        .into_iter()
        .find(|l| l.transaction == late && l.role == "receivable")
        .expect("the late invoice's GL Debtor line");
    assert_eq!(debtor_line.account, "1100");
    let ledger = |account: &str| -> i64 {
        host.db()
            .gl_entries(Some(account))
            .expect("entries")
            .iter()
            .map(|(_, e)| e.debit - e.credit)
            .sum()
    };
    let own = |code: &str| -> i64 {
        host_harness::report::receivables(&host.db(), None)
            .expect("report")
            .into_iter()
            .find(|r| r.code == code)
            .map(|r| r.own)
            .expect("a row")
    };
    // RA's receivables are exactly what its transactions put on 1100, RB's
    // on 1110: each group's row is its control account's balance.
    assert_eq!((own("RA"), ledger("1100")), (35_000, 35_000));
    assert_eq!((own("RB"), ledger("1110")), (-30_000, -30_000));
    assert_eq!(receivables_total(&host), control_balance(&host));
}

/// Issue 14, part 4: reports by group, as of any date, count each
/// transaction in the group its customer was in when it was entered: a
/// customer moved from RA to RB leaves March's sales and receivables with
/// RA, and April's are RB's, in the sales trend (all groups and filtered
/// under one) and in the receivables as of each month's end; and RA,
/// which history names, cannot be deleted.
#[test]
fn reports_by_group_use_the_group_each_transaction_was_entered_under() {
    let host = TestHost::with_sample_groups();
    for code in ["RA", "RB"] {
        host.cli(&[
            "group",
            "new",
            "--code",
            code,
            "--name",
            code,
            "--currency",
            "IDR",
        ])
        .ok();
    }
    host.cli(&[
        "customer",
        "new",
        "--code",
        "CM",
        "--name",
        "Moving",
        "--group",
        "RA",
        "--currency",
        "IDR",
    ])
    .ok();
    let c = "--customer CM --account 4000";
    new(
        &host,
        &format!("--kind invoice --date 2026-03-10 {c} --amount 300 --reference M-1"),
    );
    host.cli(&["group", "reassign", "RA", "RB"]).ok();
    new(
        &host,
        &format!("--kind invoice --date 2026-04-10 {c} --amount 50 --reference M-2"),
    );
    // Each group's net sales in March and April.
    type Series = Vec<(String, Vec<i64>)>;
    let trend = |under: Option<&str>| -> Series {
        host_harness::report::sales_trend(&host.db(), "2026-03", "2026-04", under)
            .expect("trend")
            .series
            .into_iter()
            .filter(|(code, _, _)| code == "RA" || code == "RB")
            .map(|(code, _, values)| (code, values))
            .collect()
    };
    let receivable = |as_of: &str, code: &str| -> i64 {
        host_harness::report::receivables(&host.db(), Some(as_of))
            .expect("report")
            .into_iter()
            .find(|r| r.code == code)
            .map_or(0, |r| r.own)
    };
    // (what, found, expected)
    let cases: [(&str, Series, Series); 3] = [
        (
            "all groups",
            trend(None),
            vec![
                ("RA".into(), vec![30_000, 0]),
                ("RB".into(), vec![0, 5_000]),
            ],
        ),
        (
            "under RA",
            trend(Some("RA")),
            vec![("RA".into(), vec![30_000, 0])],
        ),
        (
            "under RB",
            trend(Some("RB")),
            vec![("RB".into(), vec![0, 5_000])],
        ),
    ];
    for (what, found, expected) in cases {
        assert_eq!(found, expected, "trend, {what}");
    }
    for (as_of, ra, rb) in [("2026-03-31", 30_000, 0), ("2026-04-30", 30_000, 5_000)] {
        assert_eq!(
            (receivable(as_of, "RA"), receivable(as_of, "RB")),
            (ra, rb),
            "receivables as of {as_of}"
        );
    }
    // The CLI's report says the same.
    let out = host
        .cli(&[
            "report",
            "sales-trend",
            "--from",
            "2026-03",
            "--to",
            "2026-04",
            "--group",
            "RA",
        ])
        .ok();
    assert!(
        out.stdout.contains("RA") && !out.stdout.contains("RB"),
        "{out:?}"
    );
    // RA has no customer now, but history names it: it stays, inactive
    // if need be, so that its sales and balances keep their group.
    let refused = host.cli(&["group", "delete", "RA"]).failed();
    assert!(
        refused.stderr.contains("0 customer(s), 1 transaction(s)"),
        "{refused:?}"
    );
}

/// Issue 11.2: a transaction in another currency than the base needs a
/// rate, on the command line and in a CSV file; the base currency does not.
#[test]
fn a_foreign_transaction_without_a_rate_is_refused() {
    let host = host();
    let run = host
        .cli(&[
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "X1",
            "--amount",
            "10",
            "--account",
            "4000",
        ])
        .failed();
    assert!(
        run.stderr
            .contains("rate: a transaction in USD needs a rate: how many IDR one USD is worth"),
        "{}",
        run.stderr
    );
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("fx.csv");
    std::fs::write(
        &csv,
        "kind,date,customer,amount,account,rate,reference\n\
         invoice,2026-03-01,C1,10,4000,,A-1\n\
         invoice,2026-03-01,X1,10,4000,15500,A-2\n\
         invoice,2026-03-01,X1,10,4000,,A-3\n",
    )
    .expect("write");
    let run = host
        .cli(&["transaction", "import", csv.to_str().expect("utf-8")])
        .failed();
    assert!(
        run.stderr
            .contains("line 4, column rate: a transaction in USD needs a rate"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("line 2") && !run.stderr.contains("line 3"),
        "{}",
        run.stderr
    );
    assert!(
        host.db()
            .transactions(None, None, 10)
            .expect("list")
            .is_empty()
    );
}

/// A rate not given is the plugin's to read: a base-currency transaction
/// entered without one is stored without one (no 1 the host made up) and
/// posts at the base currency's own rate through the plugin; in another
/// currency the plugin's refusal names the rate field.
#[test]
fn a_base_currency_transaction_without_a_rate_posts_at_the_plugins_rate() {
    let host = host();
    host.cli(&[
        "transaction",
        "new",
        "--kind",
        "invoice",
        "--date",
        "2026-03-01",
        "--customer",
        "C1",
        "--amount",
        "10",
        "--account",
        "4000",
        "--reference",
        "B-1",
    ])
    .ok();
    let stored = host.db().transactions(None, None, 10).expect("list");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].entered.rate_nanos, None,
        "no rate given, none stored"
    );
    let listed = host.cli(&["transaction", "list"]).ok();
    let row = listed
        .stdout
        .lines()
        .find(|l| l.contains("B-1"))
        .unwrap_or_default()
        .to_owned();
    assert!(row.contains(" - "), "{row}");
    host.cli(&["gl", "batch", "create"]).ok();
    let lines = host.db().batch_lines(1, usize::MAX).expect("lines");
    assert!(!lines.is_empty());
    for line in &lines {
        assert_eq!(line.amount, line.base_amount, "{line:?}");
    }
    // In USD the plugin refuses it, on the rate field, in either locale.
    for (locale, expected) in [
        ("en", "rate: a transaction in USD needs a rate"),
        ("id", "rate: transaksi dalam USD memerlukan kurs"),
    ] {
        let run = host
            .cli(&[
                "--locale",
                locale,
                "transaction",
                "new",
                "--kind",
                "invoice",
                "--date",
                "2026-03-01",
                "--customer",
                "X1",
                "--amount",
                "10",
                "--account",
                "4000",
            ])
            .failed();
        assert!(run.stderr.contains(expected), "{}", run.stderr);
    }
    assert_eq!(
        host.db().transactions(None, None, 10).expect("list").len(),
        1
    );
}

/// Issue 11.3: what a batch would refuse is refused at entry, by the same
/// rule, on the command line and in CSV; the batch still refuses it in rows
/// stored before entry was checked.
#[test]
fn a_transaction_a_batch_would_refuse_is_refused_at_entry_by_the_same_rule() {
    // (options after --customer C1 --date 2026-03-01, the CSV row's
    // kind,amount,tax,discount,account,tax-account, the rule)
    let cases: &[(&str, &str, &str)] = &[
        (
            "--kind invoice --amount -10 --account 4000",
            "invoice,-10,,,4000,",
            "gl.amount-not-positive",
        ),
        (
            "--kind invoice --amount 10 --tax 20 --account 4000 --tax-account 2200",
            "invoice,10,20,,4000,2200",
            "gl.tax-out-of-range",
        ),
        (
            "--kind invoice --amount 10 --tax 1 --account 4000",
            "invoice,10,1,,4000,",
            "gl.missing-tax-account",
        ),
        (
            "--kind invoice --amount 10 --account 4999",
            "invoice,10,,,4999,",
            "gl.unknown-account",
        ),
        (
            "--kind invoice --amount 10",
            "invoice,10,,,,",
            "gl.missing-account",
        ),
        (
            "--kind receipt --amount 10 --discount 15",
            "receipt,10,,15,,",
            "gl.discount-out-of-range",
        ),
        (
            "--kind reward --amount 10 --account 1100",
            "reward,10,,,1100,",
            "gl.control-account",
        ),
    ];
    let host = host();
    let dir = tempfile::tempdir().expect("dir");
    let mut csv = String::from("kind,date,customer,amount,tax,discount,account,tax-account\n");
    for (options, row, rule) in cases {
        let mut args = vec![
            "transaction",
            "new",
            "--customer",
            "C1",
            "--date",
            "2026-03-01",
        ];
        args.extend(options.split_whitespace());
        let run = host.cli(&args).failed();
        assert!(
            run.stderr.contains(&format!("[{rule}]")) && run.stderr.contains("nothing was stored"),
            "{options}: {}",
            run.stderr
        );
        let (kind, rest) = row.split_once(',').expect("kind");
        let (amount, rest) = rest.split_once(',').expect("amount");
        csv.push_str(&format!("{kind},2026-03-01,C1,{amount},{rest}\n"));
    }
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, &csv).expect("write");
    let run = host
        .cli(&["transaction", "import", file.to_str().expect("utf-8")])
        .failed();
    for (n, (_, _, rule)) in cases.iter().enumerate() {
        let line = n + 2;
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(&format!("line {line}, column"))
                    && l.contains(&format!("[{rule}]"))),
            "line {line} [{rule}] missing in {}",
            run.stderr
        );
    }
    assert!(
        host.db()
            .transactions(None, None, 10)
            .expect("list")
            .is_empty()
    );
    // Amounts in those messages are in the currency's units.
    assert!(
        run.stderr.contains("(tax 20.00 IDR, amount 10.00 IDR)"),
        "{}",
        run.stderr
    );

    // The same values stored as old data would be: the batch names the same rules.
    let db = host.db();
    for (_, row, _) in cases {
        let fields: Vec<&str> = row.split(',').collect();
        let minor = |text: &str| -> i64 { text.parse::<i64>().map_or(0, |units| units * 100) };
        let text = |t: &str| (!t.is_empty()).then(|| t.to_owned());
        db.conn()
            .execute(
                "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, \
                 tax_minor, discount_minor, account, tax_account) \
                 VALUES ('C1', ?1, '2026-03-01', 'IDR', ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    fields[0],
                    minor(fields[1]),
                    minor(fields[2]),
                    minor(fields[3]),
                    text(fields[4]),
                    text(fields[5])
                ],
            )
            .expect("old row");
    }
    let run = host.cli(&["gl", "batch", "create"]).failed();
    for (_, _, rule) in cases {
        assert!(
            run.stderr.contains(&format!("[{rule}]")),
            "batch: [{rule}] missing in {}",
            run.stderr
        );
    }
}

/// Issue 11.3: a transaction's identity is kind, customer and reference; a
/// file imported twice does not double every row.
#[test]
fn importing_the_same_file_twice_is_refused_or_skips_what_is_stored() {
    let host = host();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("march.csv");
    let rows = "kind,date,customer,amount,account,reference\n\
                invoice,2026-03-01,C1,10,4000,INV-1\n\
                invoice,2026-03-02,C1,20,4000,INV-2\n";
    std::fs::write(&file, rows).expect("write");
    let path = file.to_str().expect("utf-8");
    host.cli(&["transaction", "import", path]).ok();
    let again = host.cli(&["transaction", "import", path]).failed();
    assert!(
        again.stderr.contains(
            "line 2, column reference: invoice INV-1 of customer C1 is transaction 1 already"
        ) && again.stderr.contains(
            "line 3, column reference: invoice INV-2 of customer C1 is transaction 2 already"
        ),
        "{}",
        again.stderr
    );
    std::fs::write(
        &file,
        format!("{rows}invoice,2026-03-03,C1,30,4000,INV-3\n"),
    )
    .expect("write");
    let skipped = host
        .cli(&["transaction", "import", path, "--skip-duplicates"])
        .ok();
    assert!(
        skipped.stdout.contains("1 transaction(s) imported")
            && skipped.stdout.contains("2 row(s) skipped"),
        "{}",
        skipped.stdout
    );
    assert_eq!(
        host.db().transactions(None, None, 10).expect("list").len(),
        3
    );
    // The same identity with other values, or twice in one file, is refused
    // even when skipping.
    std::fs::write(
        &file,
        "kind,date,customer,amount,account,reference\n\
         invoice,2026-03-01,C1,11,4000,INV-1\n\
         invoice,2026-03-09,C1,5,4000,INV-9\n\
         invoice,2026-03-09,C1,5,4000,INV-9\n",
    )
    .expect("write");
    let run = host
        .cli(&["transaction", "import", path, "--skip-duplicates"])
        .failed();
    assert!(
        run.stderr.contains("line 2, column reference: invoice INV-1 of customer C1 is transaction 1 already with other values")
            && run.stderr.contains("line 4, column reference: invoice INV-9 of customer C1 is on line 3 already"),
        "{}",
        run.stderr
    );
    assert_eq!(
        host.db().transactions(None, None, 10).expect("list").len(),
        3
    );
}

/// Issue 11.3: a posted transaction is only reversed, by a transaction
/// that names it and posts its mirror image; once.
#[test]
fn a_posted_transaction_is_reversed_once_by_its_mirror_image() {
    let host = host();
    host.cli(&["customer", "credit-limit", "X1", "900000"]).ok();
    let invoice = new(
        &host,
        "--kind invoice --date 2026-03-01 --customer X1 --amount 100 --tax 33 --account 4000 \
         --tax-account 2200 --rate 15555.55555 --reference INV-X",
    );
    let id = invoice.to_string();
    let run = host
        .cli(&["transaction", "reverse", &id, "--date", "2026-03-09"])
        .failed();
    assert!(
        run.stderr.contains("is in no GL batch: correct it"),
        "{}",
        run.stderr
    );
    host.cli(&["gl", "batch", "create"]).ok();
    host.cli(&["gl", "batch", "post", "1"]).ok();
    for args in [
        vec!["transaction", "edit", &id, "--amount", "90"],
        vec!["transaction", "delete", &id],
    ] {
        let run = host.cli(&args).failed();
        assert!(
            run.stderr.contains("is posted (GL batch 1)") && run.stderr.contains("reverse it"),
            "{}",
            run.stderr
        );
    }
    let reversed = host
        .cli(&["transaction", "reverse", &id, "--date", "2026-03-09"])
        .ok();
    assert!(
        reversed
            .stdout
            .contains(&format!("it reverses transaction {id}")),
        "{}",
        reversed.stdout
    );
    let again = host
        .cli(&["transaction", "reverse", &id, "--date", "2026-03-10"])
        .failed();
    assert!(
        again.stderr.contains("is reversed already"),
        "{}",
        again.stderr
    );
    // A reversal mirrors its original: it is not corrected, only deleted.
    let edit = host
        .cli(&["transaction", "edit", "2", "--amount", "50"])
        .failed();
    assert!(
        edit.stderr.contains("transaction 2 reverses transaction 1"),
        "{}",
        edit.stderr
    );
    assert_eq!(exposure(&host, "X1"), 0);
    host.cli(&["gl", "batch", "create"]).ok();
    host.cli(&["gl", "batch", "post", "2"]).ok();
    let lines = |batch: i64| -> Vec<(String, String, i64, i64)> {
        let mut lines: Vec<_> = host
            .db()
            .batch_lines(batch, usize::MAX)
            .expect("lines")
            .into_iter()
            .map(|l| (l.account, l.role, l.amount, l.base_amount))
            .collect();
        lines.sort();
        lines
    };
    let mirrored: Vec<_> = lines(1)
        .into_iter()
        .map(|(a, r, amount, base)| (a, r, -amount, -base))
        .collect();
    let mut mirrored = mirrored;
    mirrored.sort();
    assert_eq!(lines(2), mirrored);
    assert_eq!(control_balance(&host), 0);
    assert_eq!(receivables_total(&host), 0);
    let shown = host
        .cli(&["gl", "batch", "show", "2", "--lines"])
        .ok()
        .stdout;
    assert!(shown.contains("Reversal: Invoice INV-X"), "{shown}");
}

/// Rows stored before entry was checked (migration 007) get their effect
/// from the plugin when a balance is first asked for; a row the posting
/// rules refuse counts nowhere, and is counted as such.
#[test]
fn old_rows_get_their_effect_from_the_plugin_and_refused_ones_count_nowhere() {
    let host = host();
    let db = host.db();
    for (kind, amount, account) in [("invoice", 70_000, Some("4000")), ("invoice", -5, None)] {
        db.conn()
            .execute(
                "INSERT INTO ar_transactions (customer_code, kind, date, currency, amount_minor, account) \
                 VALUES ('C1', ?1, '2026-03-01', 'IDR', ?2, ?3)",
                rusqlite::params![kind, amount, account],
            )
            .expect("old row");
    }
    assert_eq!(
        host_harness::report::uncounted(&db, None).expect("count"),
        2
    );
    let report = host.cli(&["report", "receivables"]).ok();
    assert!(
        report
            .stderr
            .contains("note: 1 transaction(s) count in no balance"),
        "{}",
        report.stderr
    );
    assert_eq!(
        host_harness::report::uncounted(&db, None).expect("count"),
        1
    );
    assert_eq!(receivables_total(&host), 70_000);
    host.cli(&["customer", "credit-limit", "C1", "5000"]).ok();
    assert_eq!(exposure(&host, "C1"), 70_000);
}

/// Issue 11.15 for transactions: entry, import and lifecycle messages
/// follow `--locale`.
#[test]
fn transaction_messages_follow_the_locale() {
    let host = host();
    let run = host
        .cli(&[
            "--locale",
            "id",
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "X1",
            "--amount",
            "10",
            "--account",
            "4000",
        ])
        .failed();
    assert!(
        run.stderr
            .contains("kesalahan: rate: transaksi dalam USD memerlukan kurs"),
        "{}",
        run.stderr
    );
    let run = host
        .cli(&[
            "--locale",
            "id",
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "C1",
            "--amount",
            "-10",
            "--account",
            "4000",
        ])
        .failed();
    assert!(
        run.stderr.contains("tidak ada yang disimpan:")
            && run.stderr.contains("Faktur: jumlah harus lebih dari 0"),
        "{}",
        run.stderr
    );
    let ok = host
        .cli(&[
            "--locale",
            "id",
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "C1",
            "--amount",
            "10",
            "--account",
            "4000",
            "--reference",
            "F-1",
        ])
        .ok();
    assert!(ok.stdout.contains("transaksi 1 dicatat"), "{}", ok.stdout);
    let twice = host
        .cli(&[
            "--locale",
            "id",
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "C1",
            "--amount",
            "10",
            "--account",
            "4000",
            "--reference",
            "F-1",
        ])
        .failed();
    assert!(
        twice.stderr.contains("sudah tercatat sebagai transaksi 1")
            && !twice.stderr.contains("--skip-duplicates"),
        "{}",
        twice.stderr
    );
    let made = host.cli(&["--locale", "id", "gl", "batch", "create"]).ok();
    assert!(
        made.stdout
            .contains("batch 1 dibuat (belum diposting): 1 transaksi"),
        "{}",
        made.stdout
    );
    let nothing = host.cli(&["--locale", "id", "gl", "batch", "create"]).ok();
    assert!(
        nothing.stdout.contains("tidak ada yang dikerjakan"),
        "{}",
        nothing.stdout
    );
    let locked = host
        .cli(&["--locale", "id", "transaction", "delete", "1"])
        .failed();
    assert!(
        locked.stderr.contains("batch GL 1 yang belum diposting"),
        "{}",
        locked.stderr
    );
}
