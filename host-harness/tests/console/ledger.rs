//! The GL screens and the reports over HTTP: a transaction entered (and
//! one refused, everything typed kept), a CSV imported with its progress
//! streamed, Create Batch, the batch's sums and lines, Post, the roles'
//! rights, the receivables rolled up the tree, the sales trend with its
//! chart, and the credit check.

use super::support::{Host, multipart, ok};

#[test]
fn an_accountant_enters_imports_batches_and_posts_and_a_viewer_may_only_read() {
    let host = Host::new();
    ok(
        &host,
        &[
            "customer",
            "new",
            "--code",
            "C1",
            "--name",
            "Toko Satu",
            "--group",
            "L001",
            "--currency",
            "IDR",
        ],
    );
    ok(
        &host,
        &[
            "customer",
            "new",
            "--code",
            "C2",
            "--name",
            "Toko Dua",
            "--group",
            "VIP",
            "--currency",
            "IDR",
            // Its own limit holds the import below (VIP's 50,000,000 would
            // refuse it since invoices are credit-checked at entry).
            "--credit-limit",
            "1000000000.00",
        ],
    );
    let server = host.serve(&[]);
    let mut acct = server.logged_in(&host, "acct");
    let page = acct.get("/gl/transactions");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("<a href=\"/gl/transactions\">AR transactions</a>"),
        "in the menu"
    );
    let csrf = page.csrf();

    // Refused: an unknown customer; everything typed is kept.
    let refused = acct.post(
        "/gl/transactions",
        &[
            ("csrf", &csrf),
            ("kind", "invoice"),
            ("date", "2026-11-03"),
            ("customer", "NOPE"),
            ("amount", "1500000"),
            ("account", "4000"),
            ("reference", "INV-9"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("id=\"entry-error-1\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("NOPE"), "{}", refused.body);
    assert!(
        refused.body.contains("value=\"INV-9\""),
        "kept: {}",
        refused.body
    );

    let entered = acct.post(
        "/gl/transactions",
        &[
            ("csrf", &csrf),
            ("kind", "invoice"),
            ("date", "2026-11-03"),
            ("customer", "C1"),
            ("amount", "1500000"),
            ("account", "4000"),
            ("reference", "INV-1"),
        ],
    );
    assert_eq!(entered.status, 303, "{}", entered.body);
    let list = acct.get("/gl/transactions");
    assert!(list.body.contains("transaction 1 entered"), "{}", list.body);
    assert!(list.body.contains("<td>INV-1</td>"), "{}", list.body);
    assert!(
        list.body.contains("1,500,000.00") || list.body.contains("1500000.00"),
        "{}",
        list.body
    );

    // Import: 25,000 rows (the ledger checks them 10,000 at a time), the
    // progress streamed as each chunk is stored, then the outcome.
    let mut csv = String::from("kind,date,customer,amount,account,reference\n");
    for i in 0..25_000 {
        csv.push_str(&format!(
            "invoice,2026-11-{:02},C2,{}.50,4000,IMP-{i}\n",
            1 + i % 28,
            1000 + i
        ));
    }
    let (kind, body) = multipart(&[("csrf", &csrf)], "nov.csv", "text/csv", csv.as_bytes());
    let imported = acct.send("POST", "/gl/transactions/import", Some((&kind, &body)), &[]);
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert!(
        imported
            .body
            .contains("<progress max=\"25000\" value=\"25000\">"),
        "{}",
        imported.body
    );
    assert!(
        imported.body.contains("value=\"10000\""),
        "progress as it goes: {}",
        imported.body
    );
    assert!(
        imported.body.contains("id=\"import-result\""),
        "{}",
        imported.body
    );
    assert!(
        imported.body.contains("25000 transaction(s) imported"),
        "{}",
        imported.body
    );
    assert!(
        imported.body.trim_end().ends_with("</html>"),
        "a whole page"
    );
    // The same file again is refused as a whole, and says so.
    let again = acct.send("POST", "/gl/transactions/import", Some((&kind, &body)), &[]);
    assert!(again.body.contains("id=\"import-error\""), "{}", again.body);

    // Create Batch, its page, Post.
    let batches = acct.get("/gl/batches");
    let made = acct.post(
        "/gl/batches",
        &[("csrf", &batches.csrf()), ("group", "LOKAL")],
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let at = made.header("location").expect("the batch").to_owned();
    let batch = acct.get(&at);
    assert_eq!(batch.status, 200, "{}", batch.body);
    for text in ["unposted", "id=\"post\"", "1100", "4000", "INV-1"] {
        assert!(batch.body.contains(text), "{text}: {}", batch.body);
    }
    let debit = batch
        .body
        .split("id=\"total-debit\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("debits")
        .to_owned();
    let credit = batch
        .body
        .split("id=\"total-credit\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("credits")
        .to_owned();
    assert_eq!(debit, credit, "a batch balances");

    let mut viewer = server.logged_in(&host, "viewer");
    let seen = viewer.get(&at);
    assert_eq!(seen.status, 200, "a viewer reads");
    assert!(!seen.body.contains("id=\"post\""));
    let vcsrf = seen.csrf();
    assert_eq!(
        viewer
            .post(&format!("{at}/post"), &[("csrf", &vcsrf)])
            .status,
        403
    );
    assert_eq!(viewer.post("/gl/batches", &[("csrf", &vcsrf)]).status, 403);
    assert_eq!(
        viewer
            .post("/gl/transactions", &[("csrf", &vcsrf), ("kind", "invoice")])
            .status,
        403
    );
    let (vkind, vbody) = multipart(&[("csrf", &vcsrf)], "nov.csv", "text/csv", csv.as_bytes());
    assert_eq!(
        viewer
            .send(
                "POST",
                "/gl/transactions/import",
                Some((&vkind, &vbody)),
                &[]
            )
            .status,
        403
    );

    let posted = acct.post(&format!("{at}/post"), &[("csrf", &csrf)]);
    assert_eq!(posted.status, 303, "{}", posted.body);
    let batch = acct.get(&at);
    let id = at.rsplit('/').next().expect("the batch's id");
    assert!(
        batch.body.contains(&format!("batch {id} posted: ")),
        "the posting is said: {}",
        batch.body
    );
    assert!(
        !batch.body.contains("unposted"),
        "its status is posted: {}",
        batch.body
    );
    assert!(!batch.body.contains("id=\"post\""), "posted once");
    let entries = ok(&host, &["gl", "entries"]);
    assert!(entries.contains("1100"), "{entries}");
    let list = acct.get("/gl/batches");
    assert!(list.body.contains("group LOKAL"), "{}", list.body);
    let none = acct.post("/gl/batches", &[("csrf", &csrf), ("group", "LOKAL")]);
    assert_eq!(none.status, 303);
    let told = acct.get("/gl/batches");
    assert!(
        told.body.contains("class=\"notice\""),
        "nothing to batch is said: {}",
        told.body
    );
}

#[test]
fn the_reports_roll_receivables_up_the_tree_chart_the_trend_and_check_credit() {
    let host = Host::new();
    ok(
        &host,
        &[
            "customer",
            "new",
            "--code",
            "C1",
            "--name",
            "Toko Satu",
            "--group",
            "L001",
            "--currency",
            "IDR",
        ],
    );
    ok(
        &host,
        &["group", "edit", "L001", "--credit-limit", "1000000"],
    );
    for (date, amount) in [("2026-10-05", "400000"), ("2026-11-03", "500000")] {
        ok(
            &host,
            &[
                "transaction",
                "new",
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
            ],
        );
    }
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    let r = viewer.get("/reports/receivables");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("LOKAL Local Customers"), "{}", r.body);
    let total = r
        .body
        .split("id=\"total\">")
        .nth(1)
        .and_then(|x| x.split('<').next())
        .expect("total");
    assert_eq!(total, "900000.00", "{}", r.body);
    let early = viewer.get("/reports/receivables?as-of=2026-10-31");
    assert!(
        early.body.contains("id=\"total\">400000.00<"),
        "{}",
        early.body
    );
    let bad = viewer.get("/reports/receivables?as-of=31-10-2026");
    assert!(bad.body.contains("is not a date"), "{}", bad.body);

    let t = viewer.get("/reports/trend?from=2026-10&to=2026-11&group=LOKAL");
    assert_eq!(t.status, 200, "{}", t.body);
    assert!(t.body.contains("<img id=\"chart\" src=\"/reports/trend.svg?from=2026-10&#38;to=2026-11&#38;group=LOKAL\""), "{}", t.body);
    assert!(
        t.body.contains("<th scope=\"col\">2026-10</th>"),
        "{}",
        t.body
    );
    let svg = viewer.get("/reports/trend.svg?from=2026-10&to=2026-11&group=LOKAL");
    assert_eq!(svg.status, 200);
    assert_eq!(
        svg.header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    assert!(
        svg.body.starts_with("<svg") || svg.body.contains("<svg"),
        "{}",
        svg.body
    );
    let wrong = viewer.get("/reports/trend?from=2026-12&to=2026-01");
    assert!(
        wrong.body.contains("the first not after the last"),
        "{}",
        wrong.body
    );

    let c = viewer.get("/reports/credit?customer=C1&amount=200000");
    assert_eq!(c.status, 200, "{}", c.body);
    assert!(c.body.contains("id=\"verdict\""), "{}", c.body);
    assert!(
        c.body.contains("role=\"alert\" id=\"verdict\""),
        "over the limit: {}",
        c.body
    );
    let fine = viewer.get("/reports/credit?customer=C1&amount=50000");
    assert!(
        fine.body.contains("class=\"saved\" id=\"verdict\""),
        "{}",
        fine.body
    );
    let nobody = viewer.get("/reports/credit?customer=NOPE");
    assert!(
        nobody.body.contains("there is no customer NOPE"),
        "{}",
        nobody.body
    );
}

/// Issue 14, part 4, on the console: the sales trend by group counts each
/// invoice in the group it was entered under, so moving the customer from
/// L001 to VIP leaves October with L001 and puts November with VIP; the
/// receivables as of October's end are L001's.
#[test]
fn the_console_s_reports_keep_each_transaction_in_the_group_it_was_entered_under() {
    let host = Host::new();
    ok(
        &host,
        &[
            "customer",
            "new",
            "--code",
            "C1",
            "--name",
            "Toko Satu",
            "--group",
            "L001",
            "--currency",
            "IDR",
        ],
    );
    let invoice = |date: &str, amount: &str| {
        ok(
            &host,
            &[
                "transaction",
                "new",
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
            ],
        );
    };
    invoice("2026-10-05", "400000");
    ok(&host, &["group", "reassign", "L001", "VIP"]);
    invoice("2026-11-03", "500000");
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    // (group, shown, not shown)
    for (group, shown, absent) in [
        ("L001", "400000.00", "500000.00"),
        ("VIP", "500000.00", "400000.00"),
    ] {
        let t = viewer.get(&format!(
            "/reports/trend?from=2026-10&to=2026-11&group={group}"
        ));
        assert_eq!(t.status, 200, "{}", t.body);
        let table = t.body.split("<table").nth(1).unwrap_or_default();
        assert!(
            table.contains(shown) && !table.contains(absent),
            "{group}: {table}"
        );
    }
    let october = viewer.get("/reports/receivables?as-of=2026-10-31");
    let row = october
        .body
        .split("L001")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_default();
    assert!(row.contains("400000.00"), "{}", october.body);
}
