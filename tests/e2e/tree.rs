//! The group tree and inheritance through it, with provenance, through the
//! real plugin and a real SQLite file.

use e2e_tests::{TestHost, group};
use host_harness::wit::{Change, Source};

#[test]
fn three_levels_resolve_with_provenance() {
    let host = TestHost::new();
    for args in [
        &[
            "group",
            "new",
            "--code",
            "ASIA",
            "--name",
            "Asia",
            "--group-node",
            "--currency",
            "SGD",
            "--price-list",
            "Wholesale",
        ][..],
        &[
            "group",
            "new",
            "--code",
            "ID",
            "--name",
            "Indonesia",
            "--group-node",
            "--parent",
            "ASIA",
            "--currency",
            "IDR",
            "--credit-limit",
            "1000000",
        ],
        &[
            "group",
            "new",
            "--code",
            "JKT",
            "--name",
            "Jakarta",
            "--parent",
            "ID",
            "--credit-limit",
            "250000.50",
        ],
    ] {
        host.cli(args).ok();
    }
    let effective = host.admin().effective("jkt").expect("effective");
    assert_eq!(effective.ancestors, ["ID", "ASIA"]);
    let source = |field: &str| {
        effective
            .sources
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.source.clone())
            .expect("every setting has a source")
    };
    assert_eq!(source("credit-limit"), Source::Own);
    assert_eq!(effective.values.credit_limit, Some(25_000_050));
    assert_eq!(source("currency"), Source::Inherited("ID".into()));
    assert_eq!(effective.values.currency.as_deref(), Some("IDR"));
    assert_eq!(source("price-list"), Source::Inherited("ASIA".into()));
    assert_eq!(source("receivable-account"), Source::ArDefault);
    assert_eq!(effective.values.receivable_account.as_deref(), Some("1100"));
    assert_eq!(source("peppol-eas"), Source::Unset);

    let shown = host
        .cli(&["--locale", "id", "group", "show", "JKT"])
        .ok()
        .stdout;
    for want in [
        "Kelompok Induk                       ID",
        "leluhur                              ID > ASIA",
        "Mata Uang                            IDR  (diwarisi dari ID)",
        "Daftar Harga Bawaan                  Wholesale  (diwarisi dari ASIA)",
        "Batas Kredit                         250000.50\n",
        "Piutang Usaha                        1100  (bawaan pengaturan piutang)",
    ] {
        assert!(shown.contains(want), "missing {want:?}:\n{shown}");
    }

    // Change the middle level: the leaf follows.
    host.cli(&["group", "edit", "ID", "--clear", "currency"])
        .ok();
    let effective = host.admin().effective("JKT").expect("effective");
    assert_eq!(effective.values.currency.as_deref(), Some("SGD"));
}

#[test]
fn the_tree_refuses_cycles_leaves_with_children_and_nodes_with_customers() {
    let host = TestHost::with_sample_groups();
    host.cli(&[
        "group",
        "new",
        "--code",
        "TOP",
        "--name",
        "Top",
        "--group-node",
    ])
    .ok();
    host.cli(&["group", "edit", "LOKAL", "--parent", "TOP"])
        .ok();
    let cycle = host
        .cli(&["group", "edit", "TOP", "--parent", "LOKAL"])
        .failed();
    assert!(cycle.stderr.contains("[parent.cycle]"), "{}", cycle.stderr);
    assert!(
        cycle.stderr.contains("TOP > LOKAL > TOP"),
        "{}",
        cycle.stderr
    );
    let leaf = host
        .cli(&["group", "edit", "LOKAL", "--group-node=false"])
        .failed();
    assert!(
        leaf.stderr.contains("[is-group.has-children]"),
        "{}",
        leaf.stderr
    );
    host.add_customer("C1", "L001", true);
    let node = host
        .cli(&["group", "edit", "L001", "--group-node"])
        .failed();
    assert!(
        node.stderr.contains("[is-group.has-customers]"),
        "{}",
        node.stderr
    );
    let delete = host.cli(&["group", "delete", "LOKAL"]).failed();
    assert!(
        delete.stderr.contains("3 child group(s)"),
        "{}",
        delete.stderr
    );

    let tree = host.cli(&["group", "tree"]).ok().stdout;
    assert!(
        tree.contains("+ TOP  Top\n  + LOKAL  Local Customers\n    - EXPO"),
        "{tree}"
    );
    // Top-level again.
    host.cli(&["group", "edit", "LOKAL", "--parent", ""]).ok();
    assert!(
        host.cli(&["group", "tree"])
            .ok()
            .stdout
            .contains("\n+ LOKAL")
    );
}

#[test]
fn a_batch_may_bring_its_own_parents_but_not_its_own_cycles() {
    let host = TestHost::new();
    let node = |code: &str, parent: Option<&str>| {
        let mut g = group(code, code);
        g.is_group = true;
        g.parent = parent.map(Into::into);
        g
    };
    let mut leaf = group("LEAF", "Leaf");
    leaf.parent = Some("MID".into());
    let plugin = host.admin();
    let verdicts = plugin
        .plugin()
        .validate_many(
            host.db().facts(),
            &[
                Change::Create(leaf),
                Change::Create(node("MID", Some("TOP"))),
                Change::Create(node("TOP", None)),
            ],
            "en",
        )
        .expect("bulk call");
    assert!(verdicts.iter().all(|v| v.issues.is_empty()), "{verdicts:?}");
    let verdicts = plugin
        .plugin()
        .validate_many(
            host.db().facts(),
            &[
                Change::Create(node("A", Some("C"))),
                Change::Create(node("B", Some("A"))),
                Change::Create(node("C", Some("B"))),
            ],
            "en",
        )
        .expect("bulk call");
    for v in &verdicts {
        assert_eq!(v.issues.len(), 1, "{v:?}");
        assert_eq!(v.issues[0].rule, "parent.cycle");
    }
}
