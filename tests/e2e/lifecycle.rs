//! The toolbar's operations: Default GL Accounts, Apply Default Terms (preview,
//! then one transaction), Reassign, and customers joining groups.

use e2e_tests::TestHost;

#[test]
fn default_gl_accounts_copy_the_ar_defaults_and_keep_the_rest() {
    let host = TestHost::with_sample_groups();
    host.cli(&["settings", "set", "--clear", "bank-account"])
        .ok();
    host.cli(&["--user", "rina", "group", "default-accounts", "export"])
        .ok();
    let json: serde_json::Value =
        serde_json::from_str(&host.cli(&["group", "show", "EXPORT", "--json"]).ok().stdout)
            .expect("json");
    let own = &json["group"]["settings"];
    assert_eq!(
        own["receivable_account"], "1100",
        "the default replaces 1110"
    );
    assert_eq!(own["discount_account"], "5100");
    assert_eq!(
        own["bank_account"], "1010",
        "a blank default overwrites nothing"
    );
    assert_eq!(json["group"]["updated_by"], "rina");
}

#[test]
fn apply_default_terms_previews_then_applies_in_one_go() {
    let host = TestHost::with_sample_groups();
    host.cli(&[
        "customer",
        "new",
        "--code",
        "C1",
        "--name",
        "Toko Maju",
        "--group",
        "VIP",
        "--currency",
        "IDR",
    ])
    .ok();
    host.cli(&[
        "customer",
        "new",
        "--code",
        "C2",
        "--name",
        "Toko Jaya",
        "--group",
        "VIP",
        "--currency",
        "IDR",
    ])
    .ok();
    let preview = host.cli(&["group", "apply-terms", "VIP"]).ok().stdout;
    for want in [
        "C1 Toko Maju",
        "payment-terms              - -> NET30",
        "prompt-payment-discount    - -> 2% within 14 days",
        "price-code                 - -> RETAIL",
        "preview only",
    ] {
        assert!(preview.contains(want), "missing {want:?}:\n{preview}");
    }
    let untouched = host.db().customer("C1").expect("read").expect("exists");
    assert_eq!(untouched.payment_terms, None, "a preview writes nothing");

    let applied = host
        .cli(&["group", "apply-terms", "VIP", "--yes"])
        .ok()
        .stdout;
    assert!(applied.contains("applied to 2 customer(s)"), "{applied}");
    let c1 = host.db().customer("C1").expect("read").expect("exists");
    assert_eq!(c1.payment_terms.as_deref(), Some("NET30"));
    assert_eq!(c1.prompt_payment_discount.map(|d| d.percent), Some(200));
    let again = host.cli(&["group", "apply-terms", "VIP"]).ok().stdout;
    assert!(again.contains("nothing to change"), "{again}");
}

#[test]
fn reassign_moves_everyone_or_no_one() {
    let host = TestHost::with_sample_groups();
    for (code, group) in [("C1", "L001"), ("C2", "L001")] {
        host.cli(&[
            "customer",
            "new",
            "--code",
            code,
            "--name",
            code,
            "--group",
            group,
            "--currency",
            "IDR",
        ])
        .ok();
    }
    let currency = host.cli(&["group", "reassign", "L001", "EXPORT"]).failed();
    assert!(
        currency.stderr.contains("2 customer(s) of L001"),
        "{}",
        currency.stderr
    );
    let node = host.cli(&["group", "reassign", "L001", "LOKAL"]).failed();
    assert!(
        node.stderr.contains("[customer.group-node]"),
        "{}",
        node.stderr
    );
    host.cli(&["group", "edit", "EXPO", "--inactive"]).ok();
    let inactive = host.cli(&["group", "reassign", "L001", "EXPO"]).failed();
    assert!(
        inactive.stderr.contains("[customer.inactive-group]"),
        "{}",
        inactive.stderr
    );
    assert_eq!(host.db().customers(Some("L001")).expect("read").len(), 2);

    let moved = host.cli(&["group", "reassign", "l001", "vip"]).ok().stdout;
    assert!(moved.contains("moved 2 customer(s)"), "{moved}");
    assert_eq!(host.db().customers(Some("VIP")).expect("read").len(), 2);
    // Now L001 can become inactive without a warning.
    let quiet = host.cli(&["group", "edit", "L001", "--inactive"]).ok();
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn customers_join_only_active_leaves_in_their_currency() {
    let host = TestHost::with_sample_groups();
    let new = |code: &str, group: &str, currency: &str| {
        host.cli(&[
            "customer",
            "new",
            "--code",
            code,
            "--name",
            code,
            "--group",
            group,
            "--currency",
            currency,
        ])
    };
    new("C1", "EXPORT", "USD").ok();
    assert!(
        new("C2", "EXPORT", "IDR")
            .failed()
            .stderr
            .contains("[customer.currency-differs]")
    );
    assert!(
        new("C3", "LOKAL", "IDR")
            .failed()
            .stderr
            .contains("[customer.group-node]")
    );
    host.cli(&["group", "edit", "EXPO", "--inactive"]).ok();
    assert!(
        new("C4", "EXPO", "IDR")
            .failed()
            .stderr
            .contains("[customer.inactive-group]")
    );
    new("C5", "0000", "IDR").ok();
    let listed = host
        .cli(&["customer", "list", "--group", "export"])
        .ok()
        .stdout;
    assert!(listed.contains("C1") && !listed.contains("C5"), "{listed}");
    // The group's currency cannot move away from its customers'.
    let refused = host
        .cli(&["group", "edit", "EXPORT", "--currency", "IDR"])
        .failed();
    assert!(
        refused.stderr.contains("[currency.customers-differ]"),
        "{}",
        refused.stderr
    );
}

/// Issue 12: "a customer needs a code and a name" is the plugin's rule, so
/// it holds for every front end, not only the CLI that used to check it.
#[test]
fn a_customer_without_a_code_or_name_is_refused_by_the_plugin_for_every_front_end() {
    let host = TestHost::with_sample_groups();
    let customer = |code: &str, name: &str| host_harness::wit::Customer {
        code: code.into(),
        name: name.into(),
        group: "VIP".into(),
        currency: "IDR".into(),
        active: true,
        payment_terms: None,
        due_terms: None,
        prompt_payment_discount: None,
        statement_aging: None,
        price_code: None,
    };
    for (code, name, rule) in [
        ("", "Toko Maju", "customer.code-required"),
        ("C9", "  ", "customer.name-required"),
    ] {
        let refused = host
            .admin()
            .create_customer(customer(code, name), &e2e_tests::actor("en"))
            .expect_err("refused");
        assert!(refused.to_string().contains(rule), "{refused}");
        let cli = host
            .cli(&[
                "customer",
                "new",
                "--code",
                code,
                "--name",
                name,
                "--group",
                "VIP",
                "--currency",
                "IDR",
            ])
            .failed();
        assert!(cli.stderr.contains(&format!("[{rule}]")), "{}", cli.stderr);
    }
    let id = host
        .cli(&[
            "--locale",
            "id",
            "customer",
            "new",
            "--code",
            "C9",
            "--name",
            "",
            "--group",
            "VIP",
            "--currency",
            "IDR",
        ])
        .failed();
    assert!(
        id.stderr.contains("pelanggan memerlukan nama"),
        "{}",
        id.stderr
    );
    assert!(host.db().customer("C9").expect("read").is_none());
}

#[test]
fn a_customer_s_group_the_ar_settings_and_the_plugin_limits_keep_a_history() {
    use host_harness::actor::Via;
    use host_harness::store::history::{Action, Entity};
    let host = TestHost::with_sample_groups();
    host.cli(&[
        "--user",
        "ana",
        "customer",
        "new",
        "--code",
        "C1",
        "--name",
        "C1",
        "--group",
        "L001",
        "--currency",
        "IDR",
    ])
    .ok();
    host.cli(&["--user", "budi", "group", "reassign", "L001", "VIP"])
        .ok();
    host.cli(&[
        "--user",
        "citra",
        "settings",
        "set",
        "--credit-limit",
        "9000.00",
    ])
    .ok();
    host.cli(&[
        "--user",
        "dewi",
        "plugin",
        "limits",
        "set",
        "--deadline-ms",
        "9000",
    ])
    .ok();
    // Refused: nothing written, nothing recorded.
    host.cli(&["--user", "eko", "settings", "set", "--currency", "XXX"])
        .failed();
    /// What a change did, who, through what, and each field (old, new as JSON).
    type Recorded = (Action, String, Via, Vec<(String, String, String)>);
    let db = host.db();
    let fields = |entity: Entity, key: &str| -> Vec<Recorded> {
        db.history(entity, key)
            .expect("history")
            .into_iter()
            .map(|c| {
                let changes = c
                    .changes
                    .iter()
                    .map(|f| (f.field.clone(), f.old.to_string(), f.new.to_string()))
                    .collect();
                (c.action, c.origin.user, c.origin.via, changes)
            })
            .collect()
    };
    let moved = |old: &str, new: &str| vec![("group".to_owned(), old.to_owned(), new.to_owned())];
    assert_eq!(
        fields(Entity::Customer, "C1"),
        [
            (
                Action::Create,
                "ana".into(),
                Via::Cli,
                moved("null", "\"L001\"")
            ),
            (
                Action::Update,
                "budi".into(),
                Via::Cli,
                moved("\"L001\"", "\"VIP\"")
            ),
        ]
    );
    // The sample data's AR settings first, as the host's, then citra's.
    let settings = fields(Entity::ArSettings, "");
    assert_eq!(settings.len(), 2, "{settings:?}");
    assert_eq!(settings[0].1, "erp-host");
    assert!(
        settings[0].3.iter().all(|(_, old, _)| old == "null"),
        "{settings:?}"
    );
    assert_eq!(settings[1].1, "citra");
    assert_eq!(
        settings[1].3,
        [(
            "credit-limit".to_owned(),
            "null".to_owned(),
            "900000".to_owned()
        )]
    );
    let limits = fields(Entity::PluginLimits, "");
    assert_eq!(limits.len(), 1, "{limits:?}");
    assert_eq!(limits[0].1, "dewi");
    assert_eq!(limits[0].3[0].0, "deadline-ms");
    assert_eq!(limits[0].3[0].2, "9000");
}
