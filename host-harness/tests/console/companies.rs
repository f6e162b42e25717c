//! A group's accounts and credit for another company (issue 14, part 5):
//! `/form/customergroup/{code}/company/{company}`, over HTTP (rights, CSRF,
//! the company's chart, a stale read, unknown and default companies) and
//! in headless Chromium (the link from the group's form, a refusal at its
//! field in Indonesian, a save).

use fantoccini::Locator;

use super::browser::{axe_script, serious_violations};
use super::chromium::{Driver, browser, click, e, fill, go, login, step, text_of};
use super::support::{Host, erp_host, multipart, ok};

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

/// [`with_beta`] with BETA's books in dollars (sales B4000) and a
/// customer of BETA, B1 of L001, in dollars.
fn with_beta_customer() -> Host {
    let host = with_beta();
    ok(
        &host,
        &[
            "account",
            "new",
            "--company",
            "BETA",
            "--code",
            "B4000",
            "--name",
            "Beta Sales",
            "--kind",
            "income",
        ],
    );
    ok(
        &host,
        &[
            "gl",
            "settings",
            "set",
            "--company",
            "BETA",
            "--base-currency",
            "USD",
        ],
    );
    ok(
        &host,
        &[
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
        ],
    );
    host
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
    assert!(
        stale
            .body
            .contains("was changed by someone else since you read it"),
        "{}",
        stale.body
    );
    let unversioned = admin.post(PAGE, &[("csrf", &csrf), ("credit-limit", "900.00")]);
    assert_eq!(unversioned.status, 400, "a save names its version");
    assert_eq!(set_for_beta(&host, "L001")["credit-limit"], 50000);

    for other in ["MAIN", "NOPE"] {
        let page = admin.get(&format!("/form/customergroup/L001/company/{other}"));
        assert_eq!(page.status, 404, "{other}: {}", page.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_sets_a_group_s_account_for_another_company_in_the_browser() {
    let host = with_beta_customer();
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
        // `go`: the next page loaded before its URL and fields are read.
        go(&client, Locator::Css("#companies a")).await?;
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

    let axe = axe_script();
    step(&client, "company-5-accessible", || async {
        let found = serious_violations(&client, &axe).await?;
        found.is_empty().then_some(()).ok_or(format!("{found:#?}"))
    })
    .await;

    step(&client, "company-5b-ar-settings-accessible", || async {
        client
            .goto(&server.url("/ar-settings/BETA"))
            .await
            .map_err(e("goto"))?;
        let found = serious_violations(&client, &axe).await?;
        found.is_empty().then_some(()).ok_or(format!("{found:#?}"))
    })
    .await;

    step(&client, "company-6-report-of-beta", || async {
        client
            .goto(&server.url("/reports/receivables"))
            .await
            .map_err(e("goto"))?;
        click(&client, Locator::Css("#company option[value=BETA]")).await?;
        // The page before Run has a caption too: wait for the next page.
        go(&client, Locator::Css("#run")).await?;
        let caption = text_of(&client, "#receivables caption").await?;
        let found = serious_violations(&client, &axe).await?;
        let ok = caption == "USD" && found.is_empty();
        ok.then_some(())
            .ok_or(format!("caption {caption:?}; {found:#?}"))
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

/// The receivables and the trend show one company in its base currency
/// (the default company unless asked) or all consolidated at the rates
/// given, as `report --company --currency --rate` does; a rate missing or
/// mistyped is said on the page, in the user's language.
#[test]
fn reports_show_one_company_or_all_consolidated_in_the_console() {
    let host = with_beta_customer();
    ok(
        &host,
        &[
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
            "B4000",
            "--reference",
            "B-1",
        ],
    );
    let server = host.serve(&[]);
    let mut viewer = server.logged_in(&host, "viewer");
    let total = |body: &str| -> String {
        let at = body
            .find("id=\"total\">")
            .unwrap_or_else(|| panic!("{body}"));
        let rest = &body[at + "id=\"total\">".len()..];
        rest[..rest.find('<').unwrap_or(0)].to_owned()
    };
    let main = viewer.get("/reports/receivables");
    assert_eq!(main.status, 200, "{}", main.body);
    assert!(
        main.body
            .contains("<option value=\"BETA\">BETA PT Beta</option>")
            && main.body.contains("<caption>IDR</caption>"),
        "{}",
        main.body
    );
    let main_total = total(&main.body);
    let beta = viewer.get("/reports/receivables?company=beta");
    assert!(
        beta.body.contains("<caption>USD</caption>"),
        "{}",
        beta.body
    );
    assert_eq!(total(&beta.body), "10.00");

    let no_rate = viewer.get("/reports/receivables?company=all");
    assert!(
        no_rate.body.contains("company BETA keeps its books in USD"),
        "{}",
        no_rate.body
    );
    let all = viewer.get("/reports/receivables?company=all&rates=USD%3D15500");
    assert!(all.body.contains("<caption>IDR</caption>"), "{}", all.body);
    let sum = |text: &str| -> i64 {
        text.replace([',', '.'], "")
            .parse()
            .unwrap_or_else(|_| panic!("{text}"))
    };
    assert_eq!(
        sum(&total(&all.body)),
        sum(&main_total) + 15_500_000,
        "MAIN's total plus 10.00 USD at 15,500"
    );
    let mistyped = viewer.get("/reports/receivables?company=all&rates=USD15500");
    assert!(
        mistyped.body.contains("is not a currency and its rate"),
        "{}",
        mistyped.body
    );
    let unknown = viewer.get("/reports/receivables?company=NOPE");
    assert_eq!(unknown.status, 200, "{}", unknown.body);
    assert!(unknown.body.contains("NOPE"), "{}", unknown.body);

    let trend = viewer.get("/reports/trend?from=2026-03&to=2026-03&company=BETA");
    assert!(
        trend.body.contains("<caption>USD</caption>")
            && trend
                .body
                .contains("/reports/trend.svg?from=2026-03&#38;to=2026-03&#38;company=BETA"),
        "{}",
        trend.body
    );
    let chart = viewer.get("/reports/trend.svg?from=2026-03&to=2026-03&company=BETA");
    assert_eq!(chart.status, 200, "{}", chart.body);
    assert!(chart.body.contains("<svg"), "{}", chart.body);
}

/// On a host with several companies, Create Batch and the CSV import are
/// for the company chosen (the default unless another is), and the list of
/// batches says whose each is, its sums in its own base currency.
#[test]
fn batches_and_imports_are_for_the_company_chosen_in_the_console() {
    let host = with_beta_customer();
    let server = host.serve(&[]);
    let mut acct = server.logged_in(&host, "acct");
    let page = acct.get("/gl/transactions");
    assert!(
        page.body
            .contains("<select id=\"import-company\" name=\"company\">")
            && page
                .body
                .contains("<option value=\"BETA\">BETA PT Beta</option>"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let csv = "kind,date,customer,amount,currency,account,reference\n\
               invoice,2026-03-02,B1,5.00,USD,B4000,B-2\n";
    let (kind, body) = multipart(&[("csrf", &csrf)], "beta.csv", "text/csv", csv.as_bytes());
    let into_main = acct.send("POST", "/gl/transactions/import", Some((&kind, &body)), &[]);
    assert!(
        into_main
            .body
            .contains("B1 is a customer of company BETA, not MAIN"),
        "a file is the default company's unless chosen: {}",
        into_main.body
    );
    let (kind, body) = multipart(
        &[("csrf", &csrf), ("company", "BETA")],
        "beta.csv",
        "text/csv",
        csv.as_bytes(),
    );
    let imported = acct.send("POST", "/gl/transactions/import", Some((&kind, &body)), &[]);
    assert!(
        imported.body.contains("id=\"import-result\"")
            && !imported.body.contains("class=\"error\""),
        "{}",
        imported.body
    );

    let batches = acct.get("/gl/batches");
    assert!(
        batches
            .body
            .contains("<select id=\"batch-company\" name=\"company\">"),
        "{}",
        batches.body
    );
    let made = acct.post("/gl/batches", &[("csrf", &csrf), ("company", "BETA")]);
    assert_eq!(made.status, 303, "{}", made.body);
    let list = acct.get("/gl/batches");
    let row = list
        .body
        .lines()
        .find(|l| l.contains("id=\"batch-") && l.contains("<td>BETA</td>"))
        .unwrap_or_else(|| panic!("BETA's batch listed: {}", list.body));
    assert!(
        row.contains("<td class=\"money\">5.00</td>") && row.contains("<td>USD</td>"),
        "{row}"
    );
    let again = acct.post("/gl/batches", &[("csrf", &csrf), ("company", "NOPE")]);
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("NOPE"), "{}", again.body);
}

/// Administrators add companies and set each one's ledger in the console,
/// as `company new` and `gl settings set --company` do, with their
/// refusals; no other role may, on the server.
#[test]
fn an_administrator_adds_a_company_and_sets_its_ledger() {
    let host = Host::new();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    let page = admin.get("/admin/companies");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("<a href=\"/admin/companies\">Companies</a>")
            && page.body.contains("MAIN (default)"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let added = admin.post(
        "/admin/companies",
        &[("csrf", &csrf), ("code", "gamma"), ("name", "PT Gamma")],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let listed = admin.get("/admin/companies");
    assert!(
        listed.body.contains("id=\"company-GAMMA\"")
            && listed.body.contains("created company GAMMA (PT Gamma)"),
        "{}",
        listed.body
    );
    for (code, name) in [("X-1", "Bad"), ("GAMMA", "Again")] {
        let refused = admin.post(
            "/admin/companies",
            &[("csrf", &csrf), ("code", code), ("name", name)],
        );
        assert_eq!(refused.status, 422, "{code}: {}", refused.body);
        assert!(refused.body.contains("class=\"error\""), "{}", refused.body);
        assert!(
            refused.body.contains(&format!("value=\"{code}\"")),
            "what was typed is kept: {}",
            refused.body
        );
    }
    let set = admin.post(
        "/admin/companies/GAMMA",
        &[
            ("csrf", &csrf),
            ("base-currency", "usd"),
            ("rounding-account", ""),
        ],
    );
    assert_eq!(set.status, 303, "{}", set.body);
    let (_, shown, _) = erp_host(
        &host.db(),
        &["gl", "settings", "show", "--company", "GAMMA"],
    );
    assert!(shown.contains("USD"), "{shown}");
    let unknown = admin.post(
        "/admin/companies/GAMMA",
        &[("csrf", &csrf), ("base-currency", "XYZ")],
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(unknown.body.contains("XYZ"), "{}", unknown.body);
    let missing = admin.post(
        "/admin/companies/NOPE",
        &[("csrf", &csrf), ("base-currency", "USD")],
    );
    assert_eq!(missing.status, 404, "{}", missing.body);
    let forged = admin.post("/admin/companies", &[("code", "DELTA"), ("name", "D")]);
    assert_eq!(forged.status, 403, "{}", forged.body);

    let mut acct = server.logged_in(&host, "acct");
    assert_eq!(acct.get("/admin/companies").status, 403);
    let csrf_a = acct.get("/").csrf();
    let by_acct = acct.post(
        "/admin/companies",
        &[("csrf", &csrf_a), ("code", "DELTA"), ("name", "D")],
    );
    assert_eq!(by_acct.status, 403, "{}", by_acct.body);
    let (_, list, _) = erp_host(&host.db(), &["company", "list"]);
    assert!(!list.contains("DELTA"), "{list}");
}

/// A company's AR settings in the console, as `settings set --company`:
/// drawn with the company's values, checked against its chart, each field
/// against the user's rights; a viewer may read but not save.
#[test]
fn a_company_s_ar_settings_are_edited_in_the_console() {
    let host = with_beta();
    let server = host.serve(&[]);
    let mut admin = server.logged_in(&host, "admin");
    const BETA: &str = "/ar-settings/BETA";
    let home = admin.get("/");
    assert!(
        home.body
            .contains("<a href=\"/ar-settings/MAIN\">AR settings</a>"),
        "{}",
        home.body
    );
    let page = admin.get(BETA);
    assert_eq!(page.status, 200, "{}", page.body);
    let at = page
        .body
        .find("id=\"receivable-account\"")
        .unwrap_or_else(|| panic!("{}", page.body));
    assert!(
        page.body[at..]
            .split('>')
            .next()
            .is_some_and(|tag| tag.contains("value=\"B1100\"")),
        "BETA's receivable account: {}",
        &page.body[at..at + 200]
    );
    let csrf = page.csrf();
    let refused = admin.post(BETA, &[("csrf", &csrf), ("receivable-account", "1100")]);
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        field_block(&refused.body, "receivable-account").contains("class=\"error\""),
        "{}",
        refused.body
    );
    let saved = admin.post(
        BETA,
        &[
            ("csrf", &csrf),
            ("receivable-account", "B1200"),
            ("price-list", "VIP"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = ok(&host, &["settings", "show", "--company", "BETA"]);
    assert!(shown.contains("B1200") && shown.contains("VIP"), "{shown}");
    let main = ok(&host, &["settings", "show"]);
    assert!(!main.contains("B1200"), "MAIN's are its own: {main}");

    // A sales master lacks the accounting right; a viewer may not save.
    let mut sales = server.logged_in(&host, "sales");
    let csrf_s = sales.get(BETA).csrf();
    let by_sales = sales.post(
        BETA,
        &[
            ("csrf", &csrf_s),
            ("receivable-account", "B1100"),
            ("price-list", "VIP"),
        ],
    );
    assert_eq!(by_sales.status, 422, "{}", by_sales.body);
    assert!(
        field_block(&by_sales.body, "receivable-account").contains("needs the accounting right"),
        "{}",
        by_sales.body
    );
    let mut viewer = server.logged_in(&host, "viewer");
    let read = viewer.get(BETA);
    assert_eq!(read.status, 200);
    assert!(!read.body.contains("id=\"save\""), "{}", read.body);
    let by_viewer = viewer.post(BETA, &[("csrf", &read.csrf()), ("price-list", "")]);
    assert_eq!(by_viewer.status, 403, "{}", by_viewer.body);
    let forged = admin.post(BETA, &[("price-list", "")]);
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(admin.get("/ar-settings/NOPE").status, 404);
    let shown = ok(&host, &["settings", "show", "--company", "BETA"]);
    assert!(
        shown.contains("B1200") && shown.contains("VIP"),
        "unchanged: {shown}"
    );
}

/// The value of the hidden input `name` on a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("type=\"hidden\" name=\"{name}\" value=\"");
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} on the page: {body}"));
    let rest = &body[at + marker.len()..];
    rest[..rest.find('"').expect("end of the value")].to_owned()
}

/// Two administrators editing a company's AR settings at once: the second
/// save, based on a read older than the first save, is refused with
/// "refresh" and saves nothing; after a refresh it goes through.
#[test]
fn a_stale_save_of_ar_settings_is_refused() {
    let host = with_beta();
    let server = host.serve(&[]);
    let mut first = server.logged_in(&host, "admin");
    let mut second = server.logged_in(&host, "admin");
    const BETA: &str = "/ar-settings/BETA";
    let page_1 = first.get(BETA);
    let page_2 = second.get(BETA);
    let read = hidden(&page_2.body, "console.read");
    assert_eq!(
        hidden(&page_1.body, "console.read"),
        read,
        "one state, one read"
    );

    let saved = first.post(
        BETA,
        &[
            ("csrf", &page_1.csrf()),
            ("console.read", &hidden(&page_1.body, "console.read")),
            ("price-list", "VIP"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stale = second.post(
        BETA,
        &[
            ("csrf", &page_2.csrf()),
            ("console.read", &read),
            ("receivable-account", "B1200"),
        ],
    );
    assert_eq!(stale.status, 422, "{}", stale.body);
    assert!(
        stale.body.contains(
            "the AR settings of company BETA were changed by someone else since you read them"
        ),
        "{}",
        stale.body
    );
    assert_eq!(
        hidden(&stale.body, "console.read"),
        read,
        "a refused page keeps the read it was based on"
    );
    let shown = ok(&host, &["settings", "show", "--company", "BETA"]);
    assert!(
        shown.contains("VIP") && !shown.contains("B1200"),
        "only the first save: {shown}"
    );

    // Refreshed, the second administrator's save goes through.
    let again = second.get(BETA);
    assert_ne!(
        hidden(&again.body, "console.read"),
        read,
        "a save moves the read"
    );
    let saved = second.post(
        BETA,
        &[
            ("csrf", &again.csrf()),
            ("console.read", &hidden(&again.body, "console.read")),
            ("receivable-account", "B1200"),
            ("price-list", "VIP"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = ok(&host, &["settings", "show", "--company", "BETA"]);
    assert!(shown.contains("B1200") && shown.contains("VIP"), "{shown}");
}
