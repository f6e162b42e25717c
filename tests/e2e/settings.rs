//! Every settings rule through the CLI, table-driven: for each rule a case
//! that is refused (with the rule id) and one that is allowed. Refused cases
//! must write nothing.

use e2e_tests::TestHost;

/// (case, arguments after `group new --code X --name Y`, the rule broken or "" if allowed)
const CASES: &[(&str, &[&str], &str)] = &[
    ("currency exists", &["--currency", "usd"], ""),
    (
        "currency unknown",
        &["--currency", "EUR"],
        "reference.unknown",
    ),
    (
        "currency not ISO",
        &["--currency", "rupiah"],
        "currency.invalid",
    ),
    ("receivable is receivable", &["--receivable", "1110"], ""),
    (
        "receivable is a bank",
        &["--receivable", "1000"],
        "account.wrong-kind",
    ),
    ("GL discount is expense", &["--discount", "5100"], ""),
    (
        "GL discount is a liability",
        &["--discount", "2100"],
        "account.wrong-kind",
    ),
    ("bank is a bank", &["--bank", "1010"], ""),
    ("bank is income", &["--bank", "4000"], "account.wrong-kind"),
    ("price list exists", &["--price-list", "Wholesale"], ""),
    (
        "price list unknown",
        &["--price-list", "Gold"],
        "reference.unknown",
    ),
    ("price code exists", &["--price-code", "WHOLESALE"], ""),
    (
        "price code unknown",
        &["--price-code", "NOPE"],
        "reference.unknown",
    ),
    ("payment terms exist", &["--payment-terms", "NET14"], ""),
    (
        "payment terms unknown",
        &["--payment-terms", "NET99"],
        "reference.unknown",
    ),
    ("tax regime exists", &["--tax-regime", "EXPORT"], ""),
    (
        "tax regime unknown",
        &["--tax-regime", "MARS"],
        "reference.unknown",
    ),
    ("GST override exists", &["--gst-override", "ZERO"], ""),
    (
        "GST override unknown",
        &["--gst-override", "HALF"],
        "reference.unknown",
    ),
    ("credit limit zero", &["--credit-limit", "0"], ""),
    (
        "credit limit negative",
        &["--credit-limit", "-1.00"],
        "credit-limit.negative",
    ),
    (
        "due in 30 days",
        &["--due-count", "30", "--due-unit", "days"],
        "",
    ),
    (
        "due 1 month on the 20th",
        &[
            "--due-count",
            "1",
            "--due-unit",
            "months",
            "--due-day",
            "20",
        ],
        "",
    ),
    (
        "due day without months",
        &["--due-count", "30", "--due-day", "20"],
        "period.day-without-months",
    ),
    (
        "due day 32",
        &[
            "--due-count",
            "1",
            "--due-unit",
            "months",
            "--due-day",
            "32",
        ],
        "period.day-out-of-range",
    ),
    (
        "due in 1000 days",
        &["--due-count", "1000"],
        "period.count-out-of-range",
    ),
    ("statement count 12", &["--statement-count", "12"], ""),
    (
        "statement count 13",
        &["--statement-count", "13"],
        "statement-count.out-of-range",
    ),
    ("statement aging weeks", &["--statement-aging", "weeks"], ""),
    ("EAS GLN", &["--peppol-eas", "0088"], ""),
    (
        "EAS unknown",
        &["--peppol-eas", "1234"],
        "peppol-eas.unknown",
    ),
    (
        "prompt discount 2.5% in 10 days",
        &["--payment-discount", "2.5", "--discount-count", "10"],
        "",
    ),
    (
        "prompt discount 0%",
        &["--payment-discount", "0", "--discount-count", "10"],
        "percent.out-of-range",
    ),
    (
        "prompt discount over 100%",
        &["--payment-discount", "100.01", "--discount-count", "10"],
        "percent.out-of-range",
    ),
    (
        "prompt discount without a period",
        &["--payment-discount", "2"],
        "period.count-out-of-range",
    ),
    (
        "sales discount tiers",
        &[
            "--sales-discount-rule",
            "2026-01-01:1000000:5",
            "--sales-discount-rule",
            "2026-01-01:5000000:7.5",
        ],
        "",
    ),
    (
        "sales discount overlap",
        &[
            "--sales-discount-rule",
            "2026-01-01:1000000:5",
            "--sales-discount-rule",
            "2026-06-01..2026-12-31:1000000:6",
        ],
        "rules.overlap",
    ),
    (
        "sales discount back to back",
        &[
            "--sales-discount-rule",
            "2026-01-01..2026-05-31:1000000:5",
            "--sales-discount-rule",
            "2026-06-01:1000000:6",
        ],
        "",
    ),
    (
        "sales discount bad date",
        &["--sales-discount-rule", "2026-02-30:1000000:5"],
        "rules.bad-date",
    ),
    (
        "sales discount ends first",
        &["--sales-discount-rule", "2026-05-01..2026-04-01:100:5"],
        "rules.ends-before-start",
    ),
    (
        "sales discount zero threshold",
        &["--sales-discount-rule", "2026-01-01:0:5"],
        "rules.not-positive",
    ),
    (
        "sales discount 150%",
        &["--sales-discount-rule", "2026-01-01:100:150"],
        "percent.out-of-range",
    ),
    (
        "payment discount 3% in 7, 2% in 14",
        &[
            "--payment-discount-rule",
            "2026-01-01:7:3",
            "--payment-discount-rule",
            "2026-01-01:14:2",
        ],
        "",
    ),
    (
        "payment discount within 0 days",
        &["--payment-discount-rule", "2026-01-01:0:3"],
        "rules.not-positive",
    ),
    (
        "gift rule",
        &["--gift-rule", "2026-11-01..2026-11-30:1000000:GIFT-MUG:1"],
        "",
    ),
    (
        "gift of an unknown product",
        &["--gift-rule", "2026-11-01:1000000:GOLD-BAR:1"],
        "reference.unknown",
    ),
    (
        "gift of none",
        &["--gift-rule", "2026-11-01:1000000:GIFT-MUG:0"],
        "rules.not-positive",
    ),
    (
        "points rule",
        &["--points-rule", "2026-01-01:100000:10000"],
        "",
    ),
    (
        "points for nothing",
        &["--points-rule", "2026-01-01:100000:0"],
        "rules.not-positive",
    ),
    ("parent is a group node", &["--parent", "lokal"], ""),
    (
        "parent is a leaf",
        &["--parent", "L001"],
        "parent.not-group",
    ),
    (
        "parent does not exist",
        &["--parent", "NOPE"],
        "parent.unknown",
    ),
    ("a group node", &["--group-node"], ""),
];

#[test]
fn every_settings_rule_allowed_and_refused() {
    let host = TestHost::with_sample_groups();
    let mut failures = Vec::new();
    for (n, (case, args, rule)) in CASES.iter().enumerate() {
        let code = format!("T{n}");
        let mut argv = vec!["group", "new", "--code", &code, "--name"];
        argv.push(case);
        argv.extend_from_slice(args);
        let before = host.snapshot();
        let run = host.cli(&argv);
        let ok = if rule.is_empty() {
            run.code == 0
        } else {
            run.code == 1 && run.stderr.contains(&format!("[{rule}]")) && host.snapshot() == before
        };
        if !ok {
            failures.push(format!("{case}: exit {} {}", run.code, run.stderr.trim()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn rules_round_trip_and_can_be_cleared_or_emptied() {
    let host = TestHost::with_sample_groups();
    let shown = host.cli(&["group", "show", "VIP", "--json"]).ok().stdout;
    let json: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let tiers = &json["group"]["settings"]["payment_discount_rules"];
    assert_eq!(tiers[0]["within_days"], 7);
    assert_eq!(tiers[0]["percent"], 300);
    assert_eq!(tiers[1]["percent"], 200);

    host.cli(&[
        "group",
        "edit",
        "VIP",
        "--no-rules",
        "points-rules",
        "--clear",
        "payment-discount-rules",
    ])
    .ok();
    let shown = host.cli(&["group", "show", "VIP"]).ok().stdout;
    assert!(
        shown.contains("Points Rules                         none\n"),
        "{shown}"
    );
    assert!(
        shown.contains("Payment Discount Rules               -  (not set)"),
        "{shown}"
    );
    // A setting that does not exist is a usage error, like any value that
    // does not parse.
    for args in [
        &["group", "edit", "VIP", "--clear", "colour"][..],
        &["group", "edit", "VIP", "--no-rules", "currency"],
    ] {
        let bad = host.cli(args);
        assert_eq!(bad.code, host_harness::cli::EXIT_USAGE, "{}", bad.stderr);
        assert!(bad.stderr.contains("invalid value"), "{}", bad.stderr);
    }
    let syntax = host
        .cli(&[
            "group",
            "edit",
            "VIP",
            "--sales-discount-rule",
            "2026-01-01:5",
        ])
        .code;
    assert_eq!(
        syntax,
        host_harness::cli::EXIT_USAGE,
        "a malformed rule row is a usage error"
    );
    let money = host.cli(&["group", "edit", "VIP", "--credit-limit", "1.000,00"]);
    assert_eq!(
        money.code,
        host_harness::cli::EXIT_USAGE,
        "{}",
        money.stderr
    );
    assert!(money.stderr.contains("not an amount"), "{}", money.stderr);
}
