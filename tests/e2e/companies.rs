//! Several companies (issue 14, part 5), through the CLI against the real
//! plugin: each company with its own chart of accounts, AR settings and
//! ledger; a group's accounts and credit limits per company, inherited
//! through the tree per company and falling back to that company's AR
//! settings; batches per company.

use e2e_tests::TestHost;

use crate::gl::{enter, host};

/// The sample host with a second company, BETA, trading in dollars: its
/// own chart (B1100 and B1200 receivable, B4000 sales, B7900 rounding),
/// its AR settings (receivable B1100), and a customer B1 of group L001.
fn two_companies() -> TestHost {
    let host = host();
    host.cli(&["company", "new", "--code", "beta", "--name", "PT Beta"])
        .ok();
    for (code, name, kind) in [
        ("B1100", "Beta Debtors", "receivable"),
        ("B1200", "Beta VIP Debtors", "receivable"),
        ("B4000", "Beta Sales", "income"),
        ("B7900", "Beta Rounding", "expense"),
    ] {
        host.cli(&[
            "account",
            "new",
            "--company",
            "BETA",
            "--code",
            code,
            "--name",
            name,
            "--kind",
            kind,
        ])
        .ok();
    }
    host.cli(&[
        "gl",
        "settings",
        "set",
        "--company",
        "BETA",
        "--base-currency",
        "USD",
        "--rounding-account",
        "B7900",
    ])
    .ok();
    host.cli(&[
        "settings",
        "set",
        "--company",
        "BETA",
        "--receivable-account",
        "B1100",
    ])
    .ok();
    host.cli(&[
        "customer",
        "new",
        "--company",
        "BETA",
        "--code",
        "B1",
        "--name",
        "Beta One",
        "--group",
        "L001",
        "--currency",
        "USD",
    ])
    .ok();
    host
}

/// A MAIN invoice of 1,000 IDR to C1, on MAIN's sales account; its id.
fn main_invoice(host: &TestHost) -> i64 {
    enter(
        host,
        &[
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "C1",
            "--amount",
            "1000",
            "--account",
            "4000",
            "--reference",
            "M-1",
        ],
    )
}

/// A BETA invoice of 10.00 USD to B1, on BETA's sales account; its id.
fn beta_invoice(host: &TestHost) -> i64 {
    enter(
        host,
        &[
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "B1",
            "--amount",
            "10.00",
            "--account",
            "B4000",
            "--reference",
            "B-1",
        ],
    )
}

/// A store from before companies is one company, `MAIN`, the default; a
/// second is added with its own chart, and each lists its own.
#[test]
fn a_host_holds_companies_each_with_its_chart() {
    let host = two_companies();
    let list = host.cli(&["company", "list"]).ok().stdout;
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert!(
        rows[0].starts_with("MAIN") && rows[0].contains("(default)"),
        "{list}"
    );
    assert!(
        rows[1].starts_with("BETA") && rows[1].contains("USD") && rows[1].contains("B7900"),
        "{list}"
    );
    let main = host.cli(&["account", "list"]).ok().stdout;
    let beta = host
        .cli(&["account", "list", "--company", "beta"])
        .ok()
        .stdout;
    assert!(main.contains("1100") && !main.contains("B1100"), "{main}");
    assert!(
        beta.contains("B1100") && !beta.contains("Trade Debtors"),
        "{beta}"
    );
    // An account number is unique across the host.
    let again = host
        .cli(&[
            "account",
            "new",
            "--company",
            "BETA",
            "--code",
            "1100",
            "--name",
            "X",
            "--kind",
            "receivable",
        ])
        .failed();
    assert!(
        again.stderr.contains("account 1100 already exists"),
        "{}",
        again.stderr
    );
    // A company code is 1 to 8 letters or digits, and a company is named.
    let bad = host
        .cli(&["company", "new", "--code", "BE TA", "--name", "x"])
        .failed();
    assert!(bad.stderr.contains("company code"), "{}", bad.stderr);
    let unknown = host.cli(&["account", "list", "--company", "NOPE"]).failed();
    assert!(
        unknown.stderr.contains("there is no company NOPE"),
        "{}",
        unknown.stderr
    );
}

/// A company's AR settings are checked against its own chart: another
/// company's account is not there.
#[test]
fn ar_settings_are_a_companys_and_checked_against_its_chart() {
    let host = two_companies();
    let refused = host
        .cli(&[
            "settings",
            "set",
            "--company",
            "BETA",
            "--bank-account",
            "1000",
        ])
        .failed();
    assert!(refused.stderr.contains("1000"), "{}", refused.stderr);
    let beta = host
        .cli(&["settings", "show", "--company", "BETA"])
        .ok()
        .stdout;
    assert!(beta.contains("B1100"), "{beta}");
    let main = host.cli(&["settings", "show"]).ok().stdout;
    assert!(main.contains("1100") && !main.contains("B1100"), "{main}");
}

/// A transaction is its customer's company's: posted with that company's
/// accounts, batched only in that company's batch, in its base currency.
#[test]
fn batches_are_per_company() {
    let host = two_companies();
    let main_invoice = main_invoice(&host);
    // A sales account of the other company's chart is not in BETA's.
    let refused = host
        .cli(&[
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "B1",
            "--amount",
            "10.00",
            "--account",
            "4000",
            "--reference",
            "B-0",
        ])
        .failed();
    assert!(refused.stderr.contains("4000"), "{}", refused.stderr);
    let beta_invoice = beta_invoice(&host);
    let main = host.cli(&["gl", "batch", "create"]).ok().stdout;
    assert!(main.contains("1 transaction"), "{main}");
    let beta = host
        .cli(&["gl", "batch", "create", "--company", "BETA"])
        .ok()
        .stdout;
    assert!(
        beta.contains("1 transaction") && beta.contains("USD"),
        "{beta}"
    );
    let db = host.db();
    let batches = db.batches().expect("batches");
    let of = |id: i64| {
        let batch = batches
            .iter()
            .find(|b| {
                db.batch_lines(b.id, usize::MAX)
                    .expect("lines")
                    .iter()
                    .any(|l| l.transaction == id)
            })
            .expect("batched");
        (batch.company.clone(), batch.base_currency.clone())
    };
    assert_eq!(of(main_invoice), ("MAIN".into(), "IDR".into()));
    assert_eq!(of(beta_invoice), ("BETA".into(), "USD".into()));
    let accounts: Vec<String> = db
        .batch_lines(
            batches
                .iter()
                .find(|b| b.company == "BETA")
                .expect("beta")
                .id,
            usize::MAX,
        )
        .expect("lines")
        .into_iter()
        .map(|l| l.account)
        .collect();
    assert_eq!(accounts, ["B1100", "B4000"]);
    // An import is one company's: a row of another company's customer is
    // refused at its line, and nothing is stored.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("beta.csv");
    std::fs::write(
        &file,
        "kind,date,customer,amount,currency,account,reference\n\
         invoice,2026-03-02,B1,5.00,USD,B4000,B-2\n\
         invoice,2026-03-02,C1,500,IDR,4000,M-2\n",
    )
    .expect("write");
    let path = file.to_string_lossy().into_owned();
    let mixed = host
        .cli(&["transaction", "import", &path, "--company", "BETA"])
        .failed();
    assert!(
        mixed.stderr.contains("line 3")
            && mixed
                .stderr
                .contains("C1 is a customer of company MAIN, not BETA"),
        "{}",
        mixed.stderr
    );
}

/// A group's accounts differ per company: what it sets for a company
/// applies there, inherited down the tree per company, else that
/// company's AR settings; the default company's are the group's own; a
/// field the same for every company cannot be set per company; every
/// change is in the group's history, named with its company.
#[test]
fn a_groups_accounts_differ_per_company_and_inherit_per_company() {
    let host = two_companies();
    host.cli(&[
        "group",
        "edit",
        "LOKAL",
        "--company",
        "BETA",
        "--receivable-account",
        "B1200",
    ])
    .ok();
    // L001 inherits LOKAL's BETA account in BETA, and LOKAL's own in MAIN.
    let beta = host
        .cli(&["group", "show", "L001", "--company", "BETA", "--json"])
        .ok()
        .stdout;
    let beta: serde_json::Value = serde_json::from_str(&beta).expect("json");
    assert_eq!(
        beta["effective"]["values"]["receivable_account"], "B1200",
        "{beta}"
    );
    let main = host.cli(&["group", "show", "L001", "--json"]).ok().stdout;
    let main: serde_json::Value = serde_json::from_str(&main).expect("json");
    assert_ne!(
        main["effective"]["values"]["receivable_account"], "B1200",
        "{main}"
    );
    // EXPORT sets nothing for BETA: BETA's AR settings apply there.
    let export = host
        .cli(&["group", "show", "EXPORT", "--company", "BETA", "--json"])
        .ok()
        .stdout;
    let export: serde_json::Value = serde_json::from_str(&export).expect("json");
    assert_eq!(
        export["effective"]["values"]["receivable_account"], "B1100",
        "{export}"
    );

    let id = beta_invoice(&host);
    host.cli(&["gl", "batch", "create", "--company", "BETA"])
        .ok();
    let db = host.db();
    let batch = db.batches().expect("batches")[0].id;
    let receivable: Vec<String> = db
        .batch_lines(batch, usize::MAX)
        .expect("lines")
        .into_iter()
        .filter(|l| l.transaction == id && l.role == "receivable")
        .map(|l| l.account)
        .collect();
    assert_eq!(receivable, ["B1200"]);

    for (args, needle) in [
        (
            vec![
                "group",
                "edit",
                "LOKAL",
                "--company",
                "BETA",
                "--currency",
                "EUR",
            ],
            "company.not-per-company",
        ),
        (
            vec![
                "group",
                "edit",
                "LOKAL",
                "--company",
                "BETA",
                "--receivable-account",
                "1100",
            ],
            "1100",
        ),
        (
            vec![
                "group",
                "edit",
                "LOKAL",
                "--company",
                "MAIN",
                "--receivable-account",
                "1100",
            ],
            "MAIN is the default company",
        ),
        (
            vec![
                "group",
                "edit",
                "LOKAL",
                "--company",
                "BETA",
                "--clear",
                "price-list",
            ],
            "--price-list is the same for every company",
        ),
        (
            vec!["group", "edit", "LOKAL", "--company", "BETA", "--name", "X"],
            "--name is the same for every company",
        ),
    ] {
        let refused = host.cli(&args).failed();
        assert!(
            refused.stderr.contains(needle),
            "{args:?}: {}",
            refused.stderr
        );
    }
    let history = host.cli(&["group", "history", "LOKAL"]).ok().stdout;
    assert!(
        history.contains("(BETA)") && history.contains("B1200"),
        "{history}"
    );
    // Clearing it makes LOKAL inherit again in BETA (from the AR settings).
    host.cli(&[
        "group",
        "edit",
        "LOKAL",
        "--company",
        "BETA",
        "--clear",
        "receivable-account",
    ])
    .ok();
    let rows = host.db().group_company_settings("LOKAL").expect("rows");
    assert!(rows.is_empty(), "{rows:?}");
}

/// Reports show one company in its base currency (the default company
/// unless asked), or all of them consolidated in a chosen currency at the
/// rates given; never two companies' base amounts added as if one.
#[test]
fn reports_show_one_company_or_all_consolidated() {
    let host = two_companies();
    main_invoice(&host);
    beta_invoice(&host);
    let l001 = |args: &[&str]| -> String {
        let mut argv = vec!["report", "receivables", "--format", "csv"];
        argv.extend_from_slice(args);
        let csv = host.cli(&argv).ok().stdout;
        csv.lines()
            .find(|l| l.starts_with("L001,"))
            .unwrap_or_else(|| panic!("{csv}"))
            .to_owned()
    };
    assert!(l001(&[]).ends_with(",1,1000.00,1000.00"), "{}", l001(&[]));
    let beta = l001(&["--company", "BETA"]);
    assert!(beta.ends_with(",1,10.00,10.00"), "{beta}");
    let refused = host
        .cli(&["report", "receivables", "--company", "all"])
        .failed();
    assert!(
        refused
            .stderr
            .contains("company BETA keeps its books in USD: give --rate USD=R"),
        "{}",
        refused.stderr
    );
    for (rates, says) in [
        (
            &["USD=15500", "USD=16000"][..],
            "a rate for USD is given twice",
        ),
        (
            &["USD=15500", "JPY=100"][..],
            "a rate for JPY converts nothing",
        ),
        (
            &["USD=15500", "IDR=2"][..],
            "a rate for IDR converts nothing",
        ),
    ] {
        let mut argv = vec!["report", "receivables", "--company", "all"];
        for rate in rates {
            argv.extend(["--rate", rate]);
        }
        let refused = host.cli(&argv).failed();
        assert!(
            refused.stderr.contains(says),
            "{rates:?}: {}",
            refused.stderr
        );
    }
    let all = l001(&["--company", "all", "--rate", "USD=15500"]);
    assert!(all.ends_with(",2,156000.00,156000.00"), "{all}");
    let in_dollars = l001(&[
        "--company",
        "all",
        "--currency",
        "USD",
        "--rate",
        "IDR=0.0001",
    ]);
    assert!(in_dollars.ends_with(",2,10.10,10.10"), "{in_dollars}");
    let trend = host
        .cli(&[
            "report",
            "sales-trend",
            "--from",
            "2026-03",
            "--to",
            "2026-03",
            "--format",
            "csv",
            "--company",
            "all",
            "--rate",
            "USD=15500",
        ])
        .ok()
        .stdout;
    assert!(
        trend.contains("\"L001\",\"Lokal 1\",156000.00,156000.00"),
        "{trend}"
    );
}

/// `gl entries` shows one company's ledger (the default company's unless
/// `--company`), in its base currency; a refused account of another
/// company's settings hints at the command that creates it there, and
/// for a code another company's chart already has, says whose it is.
#[test]
fn the_ledger_is_shown_per_company_and_hints_name_the_company() {
    let host = two_companies();
    main_invoice(&host);
    beta_invoice(&host);
    for company in ["MAIN", "BETA"] {
        let made = host
            .cli(&["gl", "batch", "create", "--company", company])
            .ok()
            .stdout;
        let id = made
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| !w.is_empty())
            .unwrap_or_else(|| panic!("a batch id: {made}"))
            .to_owned();
        host.cli(&["gl", "batch", "post", &id]).ok();
    }
    let main = host.cli(&["gl", "entries"]).ok().stdout;
    let beta = host
        .cli(&["gl", "entries", "--company", "beta"])
        .ok()
        .stdout;
    assert!(
        main.contains("4000") && !main.contains("B4000") && !main.contains("USD"),
        "{main}"
    );
    assert!(
        beta.contains("B1100") && beta.contains("B4000") && beta.contains("10.00"),
        "{beta}"
    );
    assert!(!beta.contains(" 4000 ") && !beta.contains("IDR"), "{beta}");
    let unknown = host.cli(&["gl", "entries", "--company", "NOPE"]).failed();
    assert!(unknown.stderr.contains("NOPE"), "{}", unknown.stderr);

    let missing = host
        .cli(&[
            "group",
            "edit",
            "LOKAL",
            "--company",
            "BETA",
            "--receivable-account",
            "B1999",
        ])
        .failed();
    assert!(
        missing
            .stderr
            .contains("erp-host account new --company BETA --code B1999"),
        "{}",
        missing.stderr
    );
    let elsewhere = host
        .cli(&[
            "group",
            "edit",
            "LOKAL",
            "--company",
            "BETA",
            "--receivable-account",
            "1100",
        ])
        .failed();
    assert!(
        elsewhere
            .stderr
            .contains("account 1100 is in the chart of company MAIN, not BETA")
            && !elsewhere.stderr.contains("account new"),
        "{}",
        elsewhere.stderr
    );
}
