//! A group's accounts and credit for another company (issue 14, part 5):
//! `/form/customergroup/{code}/company/{company}`, over HTTP (rights, CSRF,
//! the company's chart, a stale read, unknown and default companies) and
//! in headless Chromium (the link from the group's form, a refusal at its
//! field in Indonesian, a save).

use fantoccini::Locator;

use super::chromium::{Driver, browser, click, e, fill, login, step, text_of};
use super::support::{Host, erp_host, ok};

/// The quickstart host with a second company, BETA: its own chart
/// (receivables B1100 and B1200) and AR settings (receivable B1100).
fn with_beta() -> Host {
    let host = Host::new();
    ok(
        &host,
        &["company", "new", "--code", "BETA", "--name", "PT Beta"],
    );
    for (code, name) in [("B1100", "Beta Debtors"), ("B1200", "Beta VIP Debtors")] {
        ok(
            &host,
            &[
                "account",
                "new",
                "--company",
                "BETA",
                "--code",
                code,
                "--name",
                name,
                "--kind",
                "receivable",
            ],
        );
    }
    ok(
        &host,
        &[
            "settings",
            "set",
            "--company",
            "BETA",
            "--receivable-account",
            "B1100",
        ],
    );
    host
}

/// What group `code` sets for BETA, as `group show --json` reports it.
fn set_for_beta(host: &Host, code: &str) -> serde_json::Value {
    let out = ok(
        host,
        &["group", "show", code, "--json", "--company", "BETA"],
    );
    let shown: serde_json::Value = serde_json::from_str(&out).expect("group show json");
    shown["companies"]["BETA"].clone()
}

/// The block of the page around field `name`'s input.
fn field_block<'a>(body: &'a str, name: &str) -> &'a str {
    let at = body
        .find(&format!("id=\"field-{name}\""))
        .unwrap_or_else(|| panic!("no field {name}: {body}"));
    let block = &body[at..];
    &block[..block.find("</div>").unwrap_or(block.len())]
}

const PAGE: &str = "/form/customergroup/L001/company/BETA";

#[test]
fn a_group_s_settings_for_a_company_are_checked_against_its_chart_and_rights() {
    let host = with_beta();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");

    let form = admin.get("/form/customergroup/L001");
    assert!(
        form.body.contains(&format!("href=\"{PAGE}\"")),
        "the group's form links to BETA's: {}",
        form.body
    );
    let page = admin.get(PAGE);
    assert_eq!(page.status, 200, "{}", page.body);
    let receivable = field_block(&page.body, "receivable-account");
    assert!(
        receivable.contains("B1100"),
        "blank, it shows BETA's AR default: {receivable}"
    );
    assert!(
        !page.body.contains("id=\"field-price-list\""),
        "only per-company fields: {}",
        page.body
    );
    let csrf = page.csrf();
    let version = |host: &Host| -> String {
        let out = ok(host, &["group", "show", "L001", "--json"]);
        let shown: serde_json::Value = serde_json::from_str(&out).expect("json");
        shown["group"]["version"].to_string()
    };
    let read = version(&host);

    // The default company's account is not in BETA's chart.
    let refused = admin.post(
        PAGE,
        &[
            ("csrf", &csrf),
            ("version", &read),
            ("receivable-account", "1100"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    let block = field_block(&refused.body, "receivable-account");
    assert!(
        block.contains("class=\"error\"") && block.contains("1100"),
        "{block}"
    );
    assert!(set_for_beta(&host, "L001").is_null(), "nothing saved");

    // Without the token, nothing happens.
    let forged = admin.post(PAGE, &[("version", &read), ("receivable-account", "B1200")]);
    assert_eq!(forged.status, 403, "{}", forged.body);

    // A viewer may not save; a sales master lacks the accounting right.
    let mut viewer = server.logged_in(&host, "viewer");
    let csrf_v = viewer.get(PAGE).csrf();
    let by_viewer = viewer.post(
        PAGE,
        &[
            ("csrf", &csrf_v),
            ("version", &read),
            ("receivable-account", "B1200"),
        ],
    );
    assert_eq!(by_viewer.status, 403, "{}", by_viewer.body);
    let mut sales = server.logged_in(&host, "sales");
    let csrf_s = sales.get(PAGE).csrf();
    let by_sales = sales.post(
        PAGE,
        &[
            ("csrf", &csrf_s),
            ("version", &read),
            ("credit-limit", "700.00"),
        ],
    );
    assert_eq!(by_sales.status, 422, "{}", by_sales.body);
    assert!(
        field_block(&by_sales.body, "credit-limit").contains("needs the accounting right"),
        "{}",
        by_sales.body
    );
    assert!(set_for_beta(&host, "L001").is_null(), "nothing saved");

    // The administrator's save, then a second one based on the old read.
    let saved = admin.post(
        PAGE,
        &[
            ("csrf", &csrf),
            ("version", &read),
            ("receivable-account", "B1200"),
            ("credit-limit", "500.00"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let beta = set_for_beta(&host, "L001");
    assert_eq!(beta["receivable-account"], "B1200", "{beta}");
    assert_eq!(beta["credit-limit"], 50000, "{beta}");
    assert_ne!(version(&host), read, "a company's change moves the version");
    let stale = admin.post(
        PAGE,
        &[
            ("csrf", &csrf),
            ("version", &read),
            ("credit-limit", "900.00"),
        ],
    );
    assert_eq!(stale.status, 422, "{}", stale.body);
    assert!(stale.body.contains("refresh"), "{}", stale.body);
    assert_eq!(set_for_beta(&host, "L001")["credit-limit"], 50000);

    for other in ["MAIN", "NOPE"] {
        let page = admin.get(&format!("/form/customergroup/L001/company/{other}"));
        assert_eq!(page.status, 404, "{other}: {}", page.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_sets_a_group_s_account_for_another_company_in_the_browser() {
    let host = with_beta();
    let server = host.serve(&[]);
    let (driver, chromium) = Driver::start();
    let client = browser(&driver, &chromium).await;
    let password = host.password("admin").to_owned();
    let base = server.url("");

    step(&client, "company-1-login", || async {
        login(&client, &base, "admin", &password).await
    })
    .await;

    step(&client, "company-2-link", || async {
        client
            .goto(&server.url("/form/customergroup/L001"))
            .await
            .map_err(e("goto"))?;
        click(&client, Locator::Css("#companies a")).await?;
        let url = client.current_url().await.map_err(e("url"))?;
        let inherited = text_of(&client, "#field-receivable-account").await?;
        let ok = url.path() == PAGE && inherited.contains("B1100");
        ok.then_some(())
            .ok_or(format!("at {url}; receivable: {inherited:?}"))
    })
    .await;

    step(&client, "company-3-refused-in-indonesian", || async {
        click(&client, Locator::Css("button[name=locale][value=id]")).await?;
        client.goto(&server.url(PAGE)).await.map_err(e("goto"))?;
        fill(&client, "#receivable-account", "1100").await?;
        click(&client, Locator::Css("#save")).await?;
        let error = text_of(&client, "#field-receivable-account .error").await?;
        let typed = client
            .find(Locator::Css("#receivable-account"))
            .await
            .map_err(e("find"))?
            .prop("value")
            .await
            .map_err(e("value"))?;
        let ok = error.contains("1100") && typed.as_deref() == Some("1100");
        ok.then_some(())
            .ok_or(format!("error {error:?}; kept {typed:?}"))
    })
    .await;

    step(&client, "company-4-saved", || async {
        fill(&client, "#receivable-account", "B1200").await?;
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await?;
        Ok(())
    })
    .await;

    let _ = client.close().await;
    let (code, out, err) = erp_host(
        &host.db(),
        &["group", "show", "L001", "--json", "--company", "BETA"],
    );
    assert_eq!(code, 0, "{err}");
    let shown: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        shown["companies"]["BETA"]["receivable-account"], "B1200",
        "{out}"
    );
}
