//! The form's toolbar over HTTP: blank fields showing what they inherit
//! and from where, rule tables that inherit or say "no rules", Default GL
//! Accounts, Apply Default Terms (preview, a stale confirmation refused,
//! confirm), Reassign Customers (refused with the plugin's reason, then
//! done), and what each said on the next page.

use super::support::{Host, ok};

#[test]
fn a_blank_field_shows_the_value_it_inherits_and_where_from() {
    let host = Host::new();
    ok(&host, &["group", "edit", "LOKAL", "--due-count", "45"]);
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let form = sales.get("/form/customergroup/L001");
    assert_eq!(form.status, 200);
    for (field, text) in [
        ("due-count", "45, inherited from LOKAL"),
        ("receivable-account", "1100, AR settings default"),
        ("credit-limit", "not set"),
    ] {
        let at = format!("id=\"inherited-{field}\">");
        let found = form
            .body
            .split(&at)
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap_or_else(|| panic!("no inherited value at {field}: {}", form.body));
        assert!(found.ends_with(text), "{field}: {found}");
    }
    assert!(
        !form.body.contains("id=\"inherited-name\""),
        "a field that does not inherit shows nothing"
    );
    let csrf = form.csrf();
    // Set here, it is the group's own: nothing inherited is shown.
    let saved = sales.post(
        "/form/customergroup/L001",
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("name", "Lokal 1"),
            ("parent", "LOKAL"),
            ("due-count", "60"),
            ("due-unit", "days"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let form = sales.get("/form/customergroup/L001");
    assert!(!form.body.contains("id=\"inherited-due-count\""));
    assert!(form.body.contains("id=\"inherited-currency\""));

    // A new group under LOKAL shows what LOKAL would give it, in Indonesian.
    sales.post(
        "/locale",
        &[("csrf", &csrf), ("locale", "id"), ("back", "/")],
    );
    let refused = sales.post(
        "/form/customergroup/new",
        &[
            ("csrf", &csrf),
            ("code", ""),
            ("name", ""),
            ("parent", "LOKAL"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("45, diwarisi dari LOKAL"),
        "{}",
        refused.body
    );
}

#[test]
fn a_rule_table_without_rows_inherits_when_ticked_and_means_no_rules_otherwise() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let new = sales.get("/form/customergroup/new");
    let csrf = new.csrf();
    assert!(
        new.body
            .contains("name=\"points-rules.inherit\" value=\"1\" checked"),
        "a new group inherits its rules: {}",
        new.body
    );
    for (code, inherit) in [("INH", true), ("NONE", false)] {
        let mut body = vec![
            ("csrf", csrf.as_str()),
            ("code", code),
            ("name", code),
            ("parent", "LOKAL"),
        ];
        if inherit {
            body.push(("points-rules.inherit", "1"));
        }
        let created = sales.post("/form/customergroup/new", &body);
        assert_eq!(created.status, 303, "{}", created.body);
    }
    let json = ok(&host, &["group", "show", "INH", "--json"]);
    let inh: serde_json::Value = serde_json::from_str(&json).expect("json");
    let json = ok(&host, &["group", "show", "NONE", "--json"]);
    let none: serde_json::Value = serde_json::from_str(&json).expect("json");
    let rules = |v: &serde_json::Value| v["group"]["settings"]["points_rules"].clone();
    assert_eq!(rules(&inh), serde_json::Value::Null, "{inh}");
    assert_eq!(rules(&none), serde_json::json!([]), "{none}");
    let form = sales.get("/form/customergroup/NONE");
    assert!(
        form.body
            .contains("name=\"points-rules.inherit\" value=\"1\">"),
        "shown unticked: {}",
        form.body
    );
}

#[test]
fn default_gl_accounts_saves_and_says_so_on_the_record() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    let shown = viewer.get("/form/customergroup/L001");
    assert!(!shown.body.contains("id=\"default-gl-accounts\""));
    let refused = viewer.post(
        "/form/customergroup/L001/default-gl-accounts",
        &[("csrf", &shown.csrf())],
    );
    assert_eq!(refused.status, 403, "the server refuses, not just the page");

    let mut sales = server.logged_in(&host, "sales");
    let form = sales.get("/form/customergroup/L001");
    assert!(
        form.body.contains("id=\"default-gl-accounts\""),
        "{}",
        form.body
    );
    // Accounts need the accounting right, which a sales master holds only
    // when granted it: refused, saying so on the record, nothing saved.
    let refused = sales.post(
        "/form/customergroup/L001/default-gl-accounts",
        &[("csrf", &form.csrf())],
    );
    assert_eq!(refused.status, 303, "{}", refused.body);
    let told = sales.get("/form/customergroup/L001");
    assert!(
        told.body.contains("needs the accounting right")
            && told.body.contains("name=\"version\" value=\"1\""),
        "{}",
        told.body
    );
    ok(&host, &["user", "grant", "sales", "accounting"]);
    let form = sales.get("/form/customergroup/L001");
    let done = sales.post(
        "/form/customergroup/L001/default-gl-accounts",
        &[("csrf", &form.csrf())],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), Some("/form/customergroup/L001"));
    let after = sales.get("/form/customergroup/L001");
    assert!(
        after
            .body
            .contains("saved group L001 (version 2) with the AR settings&#39; default accounts"),
        "{}",
        after.body
    );
    let again = sales.get("/form/customergroup/L001");
    assert!(!again.body.contains("saved group L001"), "said once");
    let shown = ok(&host, &["group", "show", "L001"]);
    let line = shown
        .lines()
        .find(|l| l.starts_with("Accounts Receivable"))
        .expect("line");
    assert!(!line.contains("default"), "now the group's own: {line}");
}

#[test]
fn apply_default_terms_previews_refuses_a_changed_plan_and_applies_the_previewed_one() {
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
    ok(&host, &["group", "edit", "LOKAL", "--due-count", "45"]);
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let form = sales.get("/form/customergroup/L001");
    assert!(
        form.body
            .contains("href=\"/form/customergroup/L001/default-terms\"")
    );
    let preview = sales.get("/form/customergroup/L001/default-terms");
    assert_eq!(preview.status, 200, "{}", preview.body);
    for text in [
        "C1 Toko Satu",
        "<td>-</td><td>45 days</td>",
        "id=\"confirm\"",
    ] {
        assert!(preview.body.contains(text), "{text}: {}", preview.body);
    }
    let csrf = preview.csrf();
    let digest = preview
        .body
        .split("name=\"digest\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("digest")
        .to_owned();

    // The plan changes between the preview and the confirmation.
    ok(&host, &["group", "edit", "LOKAL", "--due-count", "50"]);
    let stale = sales.post(
        "/form/customergroup/L001/default-terms",
        &[("csrf", &csrf), ("digest", &digest)],
    );
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(
        stale.body.contains("changed since the preview"),
        "{}",
        stale.body
    );
    assert!(
        stale.body.contains("50 days"),
        "the plan now: {}",
        stale.body
    );
    let plan = ok(&host, &["group", "apply-terms", "L001"]);
    assert!(plan.contains("C1 Toko Satu"), "nothing applied: {plan}");

    let digest = stale
        .body
        .split("name=\"digest\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("digest")
        .to_owned();
    let done = sales.post(
        "/form/customergroup/L001/default-terms",
        &[("csrf", &csrf), ("digest", &digest)],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let after = sales.get("/form/customergroup/L001");
    assert!(
        after.body.contains("applied to 1 customer(s)"),
        "{}",
        after.body
    );
    let plan = ok(&host, &["group", "apply-terms", "L001"]);
    assert!(plan.contains("nothing to change"), "applied: {plan}");
    let nothing = sales.get("/form/customergroup/L001/default-terms");
    assert!(nothing.body.contains("id=\"nothing\""), "{}", nothing.body);
}

#[test]
fn reassign_is_refused_with_the_plugin_s_reason_and_moves_every_customer() {
    let host = Host::new();
    for code in ["C1", "C2"] {
        ok(
            &host,
            &[
                "customer",
                "new",
                "--code",
                code,
                "--name",
                code,
                "--group",
                "L001",
                "--currency",
                "IDR",
            ],
        );
    }
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let page = sales.get("/form/customergroup/L001/reassign");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(": 2</p>"), "{}", page.body);
    let csrf = page.csrf();
    let refused = sales.post(
        "/form/customergroup/L001/reassign",
        &[("csrf", &csrf), ("to", "LOKAL")],
    );
    assert_eq!(
        refused.status, 422,
        "a group node takes no customers: {}",
        refused.body
    );
    assert!(refused.body.contains("class=\"error\""), "{}", refused.body);
    assert!(
        refused.body.contains("value=\"LOKAL\""),
        "the typed target is kept"
    );
    let missing = sales.post(
        "/form/customergroup/L001/reassign",
        &[("csrf", &csrf), ("to", "NOPE")],
    );
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert!(missing.body.contains("NOPE"), "{}", missing.body);
    let done = sales.post(
        "/form/customergroup/L001/reassign",
        &[("csrf", &csrf), ("to", "VIP")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let after = sales.get("/form/customergroup/L001");
    assert!(after.body.contains("moved 2 customer(s)"), "{}", after.body);
    let list = ok(&host, &["customer", "list"]);
    assert_eq!(list.matches(" VIP ").count(), 2, "{list}");
}

#[test]
fn the_plus_of_an_account_lookup_creates_the_account_and_returns_to_the_typed_form() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut sales = server.logged_in(&host, "sales");
    let new = sales.get("/form/customergroup/new");
    let plus = "id=\"plus-receivable-account\" name=\"console.quick\" value=\"receivable-account\" formaction=\"/form/account/new\"";
    assert!(new.body.contains(plus), "{}", new.body);
    let csrf = new.csrf();
    let typed = [
        ("csrf", csrf.as_str()),
        ("console.form", "customergroup"),
        ("code", "EXP2"),
        ("name", "Export <Two>"),
        ("parent", "LOKAL"),
        ("credit-limit", "1500000"),
        ("points-rules[1].valid-from", "2026-01-01"),
        ("points-rules[1].min-amount", "100000"),
        ("points-rules[1].points", "2"),
        ("receivable-account", "1190"),
        ("console.quick", "receivable-account"),
    ];
    let dialog = sales.post("/form/account/new", &typed);
    assert_eq!(dialog.status, 200, "{}", dialog.body);
    assert!(
        dialog
            .body
            .contains("id=\"account.code\" name=\"account.code\" value=\"1190\""),
        "the lookup's text: {}",
        dialog.body
    );
    assert!(
        dialog
            .body
            .contains("name=\"name\" value=\"Export &#60;Two&#62;\""),
        "the form is carried, escaped: {}",
        dialog.body
    );

    // Refused: no name, no kind; everything still carried.
    let mut attempt: Vec<(&str, &str)> = typed.to_vec();
    attempt.extend([
        ("account.code", "1190"),
        ("account.name", ""),
        ("account.kind", ""),
        ("account.create", "1"),
    ]);
    let refused = sales.post("/form/account/new", &attempt);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("data-field=\"account.name\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("data-field=\"account.kind\""),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("name=\"credit-limit\" value=\"1500000\"")
    );
    let accounts = ok(&host, &["account", "list"]);
    assert!(!accounts.contains("1190"), "{accounts}");

    let mut create: Vec<(&str, &str)> = typed.to_vec();
    create.extend([
        ("account.code", " 1190 "),
        ("account.name", "Export receivables"),
        ("account.kind", "receivable"),
        ("account.create", "1"),
    ]);
    let back = sales.post("/form/account/new", &create);
    assert_eq!(back.status, 200, "{}", back.body);
    assert!(
        back.body
            .contains("account 1190 Export receivables (receivable) created"),
        "{}",
        back.body
    );
    for kept in [
        "id=\"receivable-account\" name=\"receivable-account\" value=\"1190\"",
        "name=\"code\" value=\"EXP2\"",
        "value=\"Export &#60;Two&#62;\"",
        "name=\"credit-limit\" value=\"1500000\"",
        "name=\"points-rules[1].min-amount\" value=\"100000\"",
        "action=\"/form/customergroup/new\"",
    ] {
        assert!(back.body.contains(kept), "{kept}: {}", back.body);
    }
    let accounts = ok(&host, &["account", "list"]);
    assert!(accounts.contains("1190"), "{accounts}");
    let groups = ok(&host, &["group", "list"]);
    assert!(
        !groups.contains("EXP2"),
        "nothing of the group is saved yet: {groups}"
    );

    // Again with the same number: the store's refusal at the code.
    let dup = sales.post("/form/account/new", &create);
    assert_eq!(dup.status, 422, "{}", dup.body);
    assert!(
        dup.body.contains("account 1190 already exists"),
        "{}",
        dup.body
    );

    // From a stored group's form, cancel returns to it at the version read.
    let form = sales.get("/form/customergroup/L001");
    let csrf = form.csrf();
    let cancel = sales.post(
        "/form/account/new",
        &[
            ("csrf", &csrf),
            ("console.form", "customergroup"),
            ("console.record", "L001"),
            ("version", "1"),
            ("name", "Lokal Satu"),
            ("console.quick", "bank-account"),
            ("account.cancel", "1"),
        ],
    );
    assert_eq!(cancel.status, 200, "{}", cancel.body);
    assert!(cancel.body.contains("action=\"/form/customergroup/L001\""));
    assert!(cancel.body.contains("name=\"version\" value=\"1\""));
    assert!(
        cancel.body.contains("value=\"Lokal Satu\""),
        "typed name kept"
    );

    let mut viewer = server.logged_in(&host, "viewer");
    let csrf = viewer.get("/").csrf();
    let mut as_viewer: Vec<(&str, &str)> = create.clone();
    as_viewer[0] = ("csrf", &csrf);
    assert_eq!(viewer.post("/form/account/new", &as_viewer).status, 403);
}
