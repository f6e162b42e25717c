//! The `erp-host` CLI as an administrator uses it: output, exit codes, both
//! locales, and every refusal explained.

use e2e_tests::TestHost;

#[test]
fn quickstart_shows_menu_form_and_seeded_groups_and_is_repeatable() {
    let host = TestHost::empty();
    let run = host.cli(&["quickstart"]).ok();
    for want in [
        "plugin installed: form customergroup",
        "Customer Group  -> /form/customergroup  [plugin customergroup]",
        "menu:   Sales & POS > Customers & Sales Team > Customer Group",
        "list:   No. | Group Code | Group Name",
        "search: Group Code | Group Name  /  Any Part of Field | Start of Field | Exact",
    ] {
        assert!(
            run.stdout.contains(want),
            "missing {want:?} in:\n{}",
            run.stdout
        );
    }
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .skip_while(|l| *l != "== groups")
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[3], ["4.", "L001", "Lokal", "1"], "{}", run.stdout);
    assert_eq!(rows[5], ["6.", "VIP", "VIP", "Customers"], "{}", run.stdout);
    assert!(
        run.stdout.contains("+ LOKAL  Local Customers\n  - EXPO"),
        "{}",
        run.stdout
    );
    let again = host.cli(&["quickstart"]).ok();
    assert!(!again.stdout.contains("group created"), "{}", again.stdout);
    assert!(again.stdout.contains("sample accounts added: 0"));
}

#[test]
fn the_form_in_english_and_indonesian() {
    let host = TestHost::new();
    let en: serde_json::Value =
        serde_json::from_str(&host.cli(&["form", "--json"]).ok().stdout).expect("json");
    let id: serde_json::Value =
        serde_json::from_str(&host.cli(&["--locale", "id", "form", "--json"]).ok().stdout)
            .expect("json");
    assert_eq!(en["title"], "Customer Group");
    assert_eq!(id["title"], "Kelompok Pelanggan");
    assert_eq!(en["menu"]["route"], "/form/customergroup");
    assert_eq!(id["locale"], "id");
    let label = |form: &serde_json::Value, name: &str| {
        form["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["label"].clone())
            .expect("field")
    };
    assert_eq!(label(&en, "receivable-account"), "Accounts Receivable");
    assert_eq!(label(&id, "receivable-account"), "Piutang Usaha");
    assert_eq!(label(&id, "code"), "Kode Kelompok");
    let code = en["fields"][0].clone();
    assert_eq!(code["max_length"], 8);
    assert_eq!(code["required"], true);
    assert_eq!(code["immutable"], true);

    let text = host.cli(&["--locale", "id-ID", "form"]).ok().stdout;
    assert!(
        text.contains("[Akuntansi]") && text.contains("Tampilkan Semua"),
        "{text}"
    );
}

#[test]
fn create_list_search_edit_delete() {
    let host = TestHost::new();
    host.cli(&["group", "new", "--code", "l001", "--name", "Lokal 1"])
        .ok();
    host.cli(&[
        "group",
        "new",
        "--code",
        "VIP",
        "--name",
        "VIP Customers",
        "--receivable",
        "1110",
    ])
    .ok();
    let list = host.cli(&["group", "list"]).ok().stdout;
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(
        lines[0].starts_with("No.") && lines[0].contains("Group Code"),
        "{list}"
    );
    assert!(
        lines[2].starts_with("2.") && lines[2].contains("L001") && lines[2].contains("Lokal 1")
    );

    let found = host
        .cli(&[
            "group", "list", "--key", "name", "--match", "start", "--text", "vip",
        ])
        .ok()
        .stdout;
    assert!(
        found.contains("VIP Customers") && !found.contains("Lokal"),
        "{found}"
    );
    let exact = host
        .cli(&["group", "list", "--match", "exact", "--text", "L00"])
        .ok()
        .stdout;
    assert_eq!(exact.lines().count(), 1, "only the header: {exact}");
    let all = host
        .cli(&["group", "list", "--all", "--sort", "name", "--desc"])
        .ok()
        .stdout;
    assert!(all.lines().nth(1).expect("row").contains("VIP"), "{all}");

    host.cli(&[
        "--user",
        "siti",
        "group",
        "edit",
        "vip",
        "--name",
        "VIP Gold",
        "--inactive",
    ])
    .ok();
    let shown = host.cli(&["group", "show", "VIP"]).ok().stdout;
    for want in [
        "VIP Gold",
        "1110",
        "Updated By",
        "siti",
        "Inactive                             yes",
    ] {
        assert!(shown.contains(want), "missing {want:?}:\n{shown}");
    }
    assert!(
        host.cli(&["group", "list"])
            .ok()
            .stdout
            .contains("VIP Gold  (inactive)")
    );
    let json: serde_json::Value =
        serde_json::from_str(&host.cli(&["group", "show", "vip", "--json"]).ok().stdout)
            .expect("json");
    assert_eq!(json["group"]["version"], 2);
    assert_eq!(json["group"]["created_by"], "admin");
    assert_eq!(json["effective"]["values"]["receivable_account"], "1110");

    host.cli(&["group", "delete", "VIP"]).ok();
    let gone = host.cli(&["group", "show", "VIP"]).failed();
    assert!(
        gone.stderr.contains("there is no customer group \"VIP\""),
        "{}",
        gone.stderr
    );
}

#[test]
fn a_refused_save_explains_every_issue_and_writes_nothing() {
    let host = TestHost::new();
    let before = host.snapshot();
    let run = host
        .cli(&[
            "group",
            "new",
            "--code",
            "WAY TOO LONG",
            "--name",
            "",
            "--receivable",
            "4000",
        ])
        .failed();
    for want in [
        "the change was not saved",
        "code.too-long",
        "code.invalid-character",
        "name.required",
        "Accounts Receivable: account 4000 Sales is an income account",
    ] {
        assert!(
            run.stderr.contains(want),
            "missing {want:?}:\n{}",
            run.stderr
        );
    }
    let run = host
        .cli(&["--locale", "id", "group", "delete", "0000"])
        .failed();
    assert!(run.stderr.contains("kelompok bawaan"), "{}", run.stderr);
    assert_eq!(host.snapshot(), before);
}

#[test]
fn quick_create_an_account_then_use_it() {
    let host = TestHost::new();
    let refused = host
        .cli(&[
            "group",
            "new",
            "--code",
            "G1",
            "--name",
            "G",
            "--write-off",
            "6300",
        ])
        .failed();
    assert!(
        refused.stderr.contains(
            "= help: create it with `erp-host account new --code 6300 --name NAME --kind KIND`"
        ) && !refused.stderr.contains("\"+\""),
        "{}",
        refused.stderr
    );
    host.cli(&[
        "account",
        "new",
        "--code",
        "6300",
        "--name",
        "Write-off Loss",
        "--kind",
        "expense",
    ])
    .ok();
    assert!(
        host.cli(&["account", "list"])
            .ok()
            .stdout
            .contains("Write-off Loss")
    );
    host.cli(&[
        "group",
        "new",
        "--code",
        "G1",
        "--name",
        "G",
        "--write-off",
        "6300",
    ])
    .ok();
    let dup = host
        .cli(&[
            "account", "new", "--code", "6300", "--name", "Again", "--kind", "expense",
        ])
        .failed();
    assert!(
        dup.stderr.contains("account 6300 already exists"),
        "{}",
        dup.stderr
    );
    let kind = host
        .cli(&[
            "account", "new", "--code", "1", "--name", "X", "--kind", "asset",
        ])
        .code;
    assert_eq!(
        kind,
        host_harness::cli::EXIT_USAGE,
        "an unknown kind is a usage error"
    );
}

#[test]
fn ar_settings_defaults_make_blank_accounts_valid() {
    let host = TestHost::new();
    host.cli(&["settings", "set", "--receivable", ""]).ok();
    let refused = host
        .cli(&["group", "new", "--code", "G2", "--name", "G"])
        .failed();
    assert!(
        refused.stderr.contains("account.required"),
        "{}",
        refused.stderr
    );
    let bad = host
        .cli(&["settings", "set", "--receivable", "9999"])
        .failed();
    assert!(
        bad.stderr.contains("account \"9999\" does not exist"),
        "{}",
        bad.stderr
    );
    let wrong = host
        .cli(&[
            "settings",
            "set",
            "--receivable",
            "4000",
            "--currency",
            "XXX",
        ])
        .failed();
    for want in [
        "Accounts Receivable: account 4000 Sales is an income account",
        "Currency: \"XXX\" does not exist",
    ] {
        assert!(wrong.stderr.contains(want), "{want}: {}", wrong.stderr);
    }
    host.cli(&["settings", "set", "--receivable", "1100"]).ok();
    host.cli(&["group", "new", "--code", "G2", "--name", "G"])
        .ok();
    let shown = host.cli(&["group", "show", "g2"]).ok().stdout;
    assert!(shown.contains("1100  (AR settings default)"), "{shown}");
}

#[test]
fn the_menu_lists_host_entries_and_the_plugin() {
    let host = TestHost::new();
    let menu = host.cli(&["menu"]).ok().stdout;
    assert!(
        menu.contains("Sales & POS\n  Customers & Sales Team\n"),
        "{menu}"
    );
    assert!(menu.contains("Customer Group  -> /form/customergroup  [plugin customergroup]"));
    assert!(menu.contains("Chart of Accounts  -> /form/account"));
    let before = TestHost::empty();
    assert!(!before.cli(&["menu"]).ok().stdout.contains("customergroup"));
}
