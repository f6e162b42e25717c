//! Creating, listing, searching, editing and deleting groups through the
//! host's operations, with the real plugin and a real SQLite file.

use e2e_tests::{TestHost, actor, group};
use host_harness::store::{GroupColumn, GroupQuery};
use host_harness::wit::{MatchMode, Severity};
use host_harness::{AdminError, StoreError};

fn seeded() -> TestHost {
    let host = TestHost::new();
    let admin = host.admin();
    for (code, name) in [
        ("L001", "Lokal 1"),
        ("VIP", "VIP Customers"),
        ("EXPO", "Exhibition Area Customers"),
        ("EXPORT", "Export Customers"),
    ] {
        admin
            .create_group(group(code, name), &actor("en"))
            .expect("create");
    }
    host
}

fn codes(host: &TestHost, query: GroupQuery) -> Vec<String> {
    host.db()
        .groups(&query)
        .expect("list")
        .groups
        .into_iter()
        .map(|r| r.group.code)
        .collect()
}

#[test]
fn create_normalises_and_stamps_audit_fields() {
    let host = TestHost::new();
    let saved = host
        .admin()
        .create_group(group("  vip2 ", "  Very Important  "), &actor("en"))
        .expect("create");
    let r = saved.record;
    assert_eq!(
        (r.group.code.as_str(), r.group.name.as_str()),
        ("VIP2", "Very Important")
    );
    assert_eq!(
        (r.created_by.as_str(), r.updated_by.as_str()),
        ("tester", "tester")
    );
    assert_eq!(r.version, 1);
    assert!(
        r.created_at.ends_with('Z') && r.created_at.len() == 20,
        "{}",
        r.created_at
    );
    assert_eq!(host.db().group("VIP2").expect("read"), Some(r));
}

#[test]
fn search_by_each_key_and_match_mode() {
    let host = seeded();
    let q = |key, mode, text: &str| GroupQuery {
        key,
        mode,
        text: Some(text.into()),
        ..GroupQuery::default()
    };
    use GroupColumn::{Code, Name};
    use MatchMode::{AnyPart, Exact, Start};
    for (query, want) in [
        (q(Code, AnyPart, "xp"), vec!["EXPO", "EXPORT"]),
        (q(Code, Start, "ex"), vec!["EXPO", "EXPORT"]),
        (q(Code, Exact, "expo"), vec!["EXPO"]),
        (q(Code, AnyPart, "0"), vec!["0000", "L001"]),
        (q(Name, AnyPart, "customers"), vec!["EXPO", "EXPORT", "VIP"]),
        (q(Name, Start, "lok"), vec!["L001"]),
        (q(Name, Exact, "vip customers"), vec!["VIP"]),
        (q(Name, Exact, "VIP"), vec![]),
        (q(Name, AnyPart, "%"), vec![]),
        (q(Code, AnyPart, "_"), vec![]),
        (
            q(Name, AnyPart, "'; DROP TABLE customer_groups; --"),
            vec![],
        ),
    ] {
        assert_eq!(codes(&host, query.clone()), want, "{query:?}");
    }
    let all = GroupQuery::default();
    assert_eq!(codes(&host, all), ["0000", "EXPO", "EXPORT", "L001", "VIP"]);
    let by_name_desc = GroupQuery {
        sort: Name,
        descending: true,
        ..GroupQuery::default()
    };
    assert_eq!(
        codes(&host, by_name_desc),
        ["VIP", "L001", "EXPORT", "EXPO", "0000"]
    );
}

#[test]
fn edit_keeps_the_code_and_bumps_the_version() {
    let host = seeded();
    let admin = host.admin();
    let saved = admin
        .update_group(
            "l001",
            |g| {
                g.name = "Lokal Satu".into();
                g.settings.receivable_account = Some("1110".into());
            },
            &actor("en"),
        )
        .expect("edit");
    assert_eq!(saved.record.group.code, "L001");
    assert_eq!(
        saved.record.group.settings.receivable_account.as_deref(),
        Some("1110")
    );
    assert_eq!(saved.record.version, 2);

    // Clearing an account hands it back to the AR settings default.
    let saved = admin
        .update_group(
            "L001",
            |g| g.settings.receivable_account = Some(" ".into()),
            &actor("en"),
        )
        .expect("clear");
    assert_eq!(saved.record.group.settings.receivable_account, None);
}

#[test]
fn a_stale_edit_is_refused() {
    let host = seeded();
    let db = host.db();
    let read = db.group("VIP").expect("read").expect("exists");
    host.admin()
        .update_group("VIP", |g| g.name = "VIP Gold".into(), &actor("en"))
        .expect("someone else saves first");
    let mut mine = read.group.clone();
    mine.name = "VIP Silver".into();
    let err = db
        .update_group(&mine, read.version, "me")
        .expect_err("stale version");
    assert!(
        matches!(
            err,
            StoreError::Stale {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("refresh"), "{err}");
    assert_eq!(
        db.group("VIP").expect("read").expect("exists").group.name,
        "VIP Gold"
    );
}

#[test]
fn inactivating_a_group_with_customers_warns_but_saves() {
    let host = seeded();
    host.add_customer("C1", "VIP", true);
    host.add_customer("C2", "VIP", true);
    let saved = host
        .admin()
        .update_group("VIP", |g| g.inactive = true, &actor("en"))
        .expect("saved with a warning");
    assert!(saved.record.group.inactive);
    assert_eq!(saved.warnings.len(), 1);
    assert_eq!(saved.warnings[0].severity, Severity::Warning);
    assert!(saved.warnings[0].message.contains("2 active customer(s)"));
}

#[test]
fn delete_only_what_is_unused() {
    let host = seeded();
    let admin = host.admin();
    host.add_customer("C1", "EXPO", false);
    let err = admin
        .delete_group("EXPO", &actor("en"))
        .expect_err("in use");
    assert!(matches!(err, AdminError::Rejected(_)), "{err}");
    assert!(
        err.to_string()
            .contains("1 customer(s), 0 transaction(s) and 0 child group(s)"),
        "{err}"
    );
    admin
        .delete_group("export", &actor("en"))
        .expect("unused group");
    assert!(host.db().group("EXPORT").expect("read").is_none());
    assert!(host.db().group("EXPO").expect("read").is_some());
}

#[test]
fn an_edit_based_on_an_old_version_is_refused_through_the_cli() {
    let host = seeded();
    host.cli(&[
        "group",
        "edit",
        "VIP",
        "--name",
        "VIP Gold",
        "--if-version",
        "1",
    ])
    .ok();
    let stale = host
        .cli(&[
            "group",
            "edit",
            "VIP",
            "--name",
            "VIP Silver",
            "--if-version",
            "1",
        ])
        .failed();
    assert!(
        stale.stderr.contains("refresh and try again"),
        "{}",
        stale.stderr
    );
    let shown = host.cli(&["group", "show", "VIP"]).ok().stdout;
    assert!(shown.contains("VIP Gold"), "{shown}");
}

#[test]
fn show_lists_the_member_customers() {
    let host = seeded();
    host.add_customer("C1", "VIP", true);
    host.add_customer("C2", "VIP", false);
    let shown = host
        .cli(&["--locale", "id", "group", "show", "VIP"])
        .ok()
        .stdout;
    assert!(shown.contains("Pelanggan (2)\n  C1"), "{shown}");
    assert!(
        shown.contains("C2") && shown.contains("(nonaktif)"),
        "{shown}"
    );
}
