//! The console in a real browser: headless Chromium (`chromium`) against
//! the real `erp-host serve`: the seeds' tasks, by keyboard, with axe-core.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use fantoccini::{Client, Locator};

use super::chromium::{
    Driver, Step, artifacts, browser, click, e, fill, go, login, next_page, step, text_of,
    this_page,
};
use super::support::Host;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_creates_a_group_and_sees_a_refused_save_s_errors_in_indonesian() {
    let host = Host::new();
    let server = host.serve(&[]);
    let (driver, chromium) = Driver::start();
    let client = browser(&driver, &chromium).await;
    let password = host.password("admin").to_owned();

    step(&client, "1-login", || async {
        client
            .goto(&server.url("/login"))
            .await
            .map_err(e("goto"))?;
        fill(&client, "#name", "admin").await?;
        fill(&client, "#password", &password).await?;
        click(&client, Locator::Css("#login")).await?;
        let user = text_of(&client, "#user").await?;
        (user == "admin")
            .then_some(())
            .ok_or(format!("signed in as {user:?}"))
    })
    .await;

    step(&client, "2-menu", || async {
        // The home page has an h1 too: wait for the next page.
        go(&client, Locator::LinkText("Customer Group")).await?;
        let title = text_of(&client, "h1").await?;
        (title == "Customer Group")
            .then_some(())
            .ok_or(format!("title {title:?}"))
    })
    .await;

    step(&client, "3-create", || async {
        click(&client, Locator::Css("#new")).await?;
        fill(&client, "#code", "web1").await?;
        fill(&client, "#name", "Made in a browser").await?;
        fill(&client, "#credit-limit", "1500000").await?;
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await?;
        let url = client.current_url().await.map_err(e("url"))?;
        let ok = url.path() == "/form/customergroup/WEB1";
        ok.then_some(()).ok_or(format!("saved at {url}"))
    })
    .await;

    step(&client, "4-listed", || async {
        click(&client, Locator::Css("#back")).await?;
        fill(&client, "#text", "WEB").await?;
        go(&client, Locator::Css("#search")).await?;
        let table = text_of(&client, "table.list tbody").await?;
        table
            .contains("Made in a browser")
            .then_some(())
            .ok_or(format!("list: {table}"))
    })
    .await;

    step(&client, "4b-history", || async {
        client
            .goto(&server.url("/form/customergroup/WEB1"))
            .await
            .map_err(e("goto"))?;
        fill(&client, "#name", "<script>alert(1)</script>").await?;
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await?;
        let title = client.title().await.map_err(e("title"))?;
        if !title.starts_with("Customer Group: WEB1 · ") {
            return Err(format!("page title {title:?}"));
        }
        let newest = text_of(&client, "#history #change-1").await?;
        let created = text_of(&client, "#history #change-2").await?;
        let ok = newest.contains("admin")
            && newest.contains("console")
            && newest.contains("Group Name")
            && newest.contains("Made in a browser")
            && newest.contains("<script>alert(1)</script>")
            && created.contains("created")
            && created.contains("1500000.00");
        ok.then_some(())
            .ok_or(format!("newest: {newest:?}; created: {created:?}"))
    })
    .await;

    step(&client, "5-indonesian-refusal", || async {
        click(&client, Locator::Css("button[name=locale][value=id]")).await?;
        click(&client, Locator::LinkText("Kelompok Pelanggan")).await?;
        click(&client, Locator::Css("#new")).await?;
        fill(&client, "#code", "X-1").await?;
        click(&client, Locator::Css("#save")).await?;
        let code = text_of(&client, "#field-code .error").await?;
        let name = text_of(&client, "#field-name .error").await?;
        let ok = code.contains("Kode Kelompok hanya boleh berisi huruf A-Z dan angka 0-9")
            && name.contains("Nama Kelompok wajib diisi");
        ok.then_some(())
            .ok_or(format!("errors at code: {code:?}, at name: {name:?}"))
    })
    .await;

    let _ = client.close().await;
    let (_, list, _) = super::support::erp_host(&host.db(), &["group", "list", "--all"]);
    assert!(list.contains("WEB1") && !list.contains("X-1"), "{list}");
}

/// The axe-core script (npm's `axe-core`), from `AXE_CORE`, else from
/// `target/axe`, where this test installs it with npm the first time.
/// Neither npm nor the script is a failure saying how to install them.
pub(super) fn axe_script() -> String {
    let path = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let prefix = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/axe");
            let script = prefix.join("node_modules/axe-core/axe.min.js");
            if !script.is_file() {
                let installed = Command::new("npm")
                    .args([
                        "install",
                        "--no-save",
                        "--no-audit",
                        "--no-fund",
                        "--prefix",
                    ])
                    .arg(&prefix)
                    .arg("axe-core@4")
                    .stdout(Stdio::null())
                    .status();
                if !installed.as_ref().is_ok_and(|s| s.success()) {
                    panic!(
                        "cannot install axe-core with npm ({installed:?}): install npm \
                     (`apt-get install -y npm` on Debian), or run `npm install --no-save \
                     --prefix target/axe axe-core@4` yourself, or point AXE_CORE at axe.min.js"
                    );
                }
            }
            script
        });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core is not at {} ({e})", path.display()))
}

/// Runs axe-core on the page: the serious and critical violations.
pub(super) async fn serious_violations(client: &Client, axe: &str) -> Result<Vec<String>, String> {
    client
        .execute(axe, Vec::new())
        .await
        .map_err(e("inject axe-core"))?;
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document).then(r => done(r.violations\
               .filter(v => v.impact === 'serious' || v.impact === 'critical')\
               .map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
             .catch(err => done(['axe failed: ' + err]));",
            Vec::new(),
        )
        .await
        .map_err(e("axe.run"))?;
    Ok(serde_json::from_value(found).unwrap_or_default())
}

/// Saves a screenshot of the page as `name` (the README's come from here).
async fn keep_screenshot(client: &Client, name: &str) -> Step {
    let dir = artifacts();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let png = client.screenshot().await.map_err(e("screenshot"))?;
    std::fs::write(dir.join(name), png).map_err(|e| format!("{name}: {e}"))
}

/// Presses Tab until the element with `id` has the focus (at most 80 times).
async fn tab_to(client: &Client, id: &str) -> Step {
    for _ in 0..80 {
        let active = client.active_element().await.map_err(e("focus"))?;
        if active.attr("id").await.map_err(e("id"))?.as_deref() == Some(id) {
            return Ok(());
        }
        active.send_keys("\u{E004}").await.map_err(e("tab"))?;
    }
    Err(format!("Tab never reached #{id}"))
}

/// The page's root element, to tell when the next page has replaced it.
/// The codes of the list's rows.
async fn listed(client: &Client) -> Result<String, String> {
    text_of(client, "table.list tbody").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_tasks_in_a_browser_by_keyboard_with_no_serious_accessibility_violation() {
    let host = Host::new();
    let cli = |args: &[&str]| {
        let (code, out, err) = super::support::erp_host(&host.db(), args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    };
    cli(&[
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
    ]);
    cli(&[
        "transaction",
        "new",
        "--kind",
        "invoice",
        "--date",
        "2026-11-03",
        "--customer",
        "C1",
        "--amount",
        "1500000",
        "--account",
        "4000",
    ]);
    let axe = axe_script();
    let server = host.serve(&[]);
    let (driver, chromium) = Driver::start();
    let client = browser(&driver, &chromium).await;
    let admin = host.password("admin").to_owned();
    let list = server.url("/form/customergroup");
    let base = server.url("");

    step(&client, "b1-login", || {
        login(&client, &base, "admin", &admin)
    })
    .await;

    step(&client, "b2-match-modes", || async {
        client.goto(&list).await.map_err(e("goto"))?;
        let cases = [
            ("start", "Lok", "Lokal 1", "Local Customers"),
            ("exact", "VIP Customers", "VIP", "Lokal 1"),
            ("any-part", "area", "EXPO", "VIP"),
        ];
        for (mode, text, found, absent) in cases {
            click(&client, Locator::Css("#key option[value=name]")).await?;
            click(
                &client,
                Locator::Css(&format!("#mode option[value={mode}]")),
            )
            .await?;
            fill(&client, "#text", text).await?;
            go(&client, Locator::Css("#search")).await?;
            let rows = listed(&client).await?;
            if !rows.contains(found) || rows.contains(absent) {
                return Err(format!("{mode} {text:?}: {rows}"));
            }
        }
        go(&client, Locator::Css("#show-all")).await?;
        let rows = listed(&client).await?;
        (rows.contains("0000") && rows.contains("EXPORT"))
            .then_some(())
            .ok_or(format!("Show All: {rows}"))
    })
    .await;

    step(&client, "b3-axe-list", || async {
        keep_screenshot(&client, "list.png").await?;
        let found = serious_violations(&client, &axe).await?;
        found.is_empty().then_some(()).ok_or(format!("{found:#?}"))
    })
    .await;

    step(&client, "b4-keyboard-new-save", || async {
        tab_to(&client, "new").await?;
        client
            .active_element()
            .await
            .map_err(e("focus"))?
            .send_keys("\u{E007}")
            .await
            .map_err(e("enter"))?;
        text_of(&client, "#field-code").await?;
        tab_to(&client, "code").await?;
        client
            .active_element()
            .await
            .map_err(e("focus"))?
            .send_keys("KEYB")
            .await
            .map_err(e("type"))?;
        tab_to(&client, "name").await?;
        let name = client.active_element().await.map_err(e("focus"))?;
        name.send_keys("Typed by keyboard")
            .await
            .map_err(e("type"))?;
        name.send_keys("\u{E007}").await.map_err(e("enter"))?;
        text_of(&client, "#saved").await.map(|_| ())
    })
    .await;

    step(&client, "b5-axe-form", || async {
        keep_screenshot(&client, "form.png").await?;
        let found = serious_violations(&client, &axe).await?;
        found.is_empty().then_some(()).ok_or(format!("{found:#?}"))
    })
    .await;

    step(&client, "b6-quick-create-account", || async {
        client
            .goto(&format!("{list}/new"))
            .await
            .map_err(e("goto"))?;
        fill(&client, "#code", "QC1").await?;
        fill(&client, "#name", "Quick account group").await?;
        fill(&client, "#credit-limit", "2500000").await?;
        fill(&client, "#receivable-account", "1190").await?;
        click(&client, Locator::Css("#plus-receivable-account")).await?;
        fill(&client, "[id='account.name']", "Export receivables").await?;
        click(
            &client,
            Locator::Css("select[name='account.kind'] option[value=receivable]"),
        )
        .await?;
        click(&client, Locator::Css("#account-create")).await?;
        text_of(&client, "p.notice").await?;
        let page = &client;
        let value = |css: &'static str| async move {
            page.find(Locator::Css(css))
                .await
                .map_err(e(css))?
                .prop("value")
                .await
                .map_err(e(css))
        };
        let kept = (
            value("#code").await?,
            value("#credit-limit").await?,
            value("#receivable-account").await?,
        );
        if kept
            != (
                Some("QC1".into()),
                Some("2500000".into()),
                Some("1190".into()),
            )
        {
            return Err(format!("the form came back as {kept:?}"));
        }
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await.map(|_| ())
    })
    .await;

    step(&client, "b7-tree-add-child", || async {
        client
            .goto(&format!("{list}?view=tree"))
            .await
            .map_err(e("goto"))?;
        let found = serious_violations(&client, &axe).await?;
        if !found.is_empty() {
            return Err(format!("{found:#?}"));
        }
        click(&client, Locator::Css("#add-child-LOKAL")).await?;
        fill(&client, "#code", "KID").await?;
        fill(&client, "#name", "A child of LOKAL").await?;
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await?;
        client
            .goto(&format!("{list}?view=tree&under=LOKAL"))
            .await
            .map_err(e("goto"))?;
        let tree = text_of(&client, "#tree").await?;
        tree.contains("KID")
            .then_some(())
            .ok_or(format!("tree: {tree}"))
    })
    .await;

    step(&client, "b8-delete-refused", || async {
        client
            .goto(&format!("{list}/L001"))
            .await
            .map_err(e("goto"))?;
        click(&client, Locator::Css("#delete")).await?;
        text_of(&client, "#not-deleted").await?;
        let why = text_of(&client, "#error-record").await?;
        (why.contains('1') && why.contains("customer"))
            .then_some(())
            .ok_or(format!("refusal: {why}"))
    })
    .await;

    step(&client, "b9-stale-second-session", || async {
        let other = browser(&driver, &chromium).await;
        let sales = host.password("sales").to_owned();
        let result = async {
            login(&other, &base, "sales", &sales).await?;
            client
                .goto(&format!("{list}/VIP"))
                .await
                .map_err(e("goto"))?;
            other
                .goto(&format!("{list}/VIP"))
                .await
                .map_err(e("goto"))?;
            fill(&client, "#name", "Renamed first").await?;
            click(&client, Locator::Css("#save")).await?;
            text_of(&client, "#saved").await?;
            fill(&other, "#name", "Renamed second").await?;
            click(&other, Locator::Css("#save")).await?;
            let why = text_of(&other, "#error-record").await?;
            why.contains("refresh")
                .then_some(())
                .ok_or(format!("second save: {why}"))
        }
        .await;
        let _ = other.close().await;
        result
    })
    .await;

    step(&client, "b10-batch-and-post", || async {
        client
            .goto(&server.url("/gl/batches"))
            .await
            .map_err(e("goto"))?;
        go(&client, Locator::Css("#create-batch")).await?;
        go(&client, Locator::Css("#post")).await?;
        let status = text_of(&client, "h1").await?;
        let notice = text_of(&client, "p.notice").await?;
        (status.contains("posted") && !status.contains("unposted"))
            .then_some(())
            .ok_or(format!("after Post: {status} / {notice}"))
    })
    .await;

    step(&client, "b11-trend-chart", || async {
        client
            .goto(&server.url("/reports/trend?from=2026-10&to=2026-12"))
            .await
            .map_err(e("goto"))?;
        text_of(&client, "#trend").await?;
        let width = client
            .execute(
                "return document.getElementById('chart').naturalWidth;",
                Vec::new(),
            )
            .await
            .map_err(e("chart"))?;
        (width.as_u64().unwrap_or(0) > 0)
            .then_some(())
            .ok_or(format!("the chart did not load: {width}"))
    })
    .await;

    step(&client, "b12-viewer-refused-by-the-server", || async {
        click(&client, Locator::Css("#logout")).await?;
        let viewer = host.password("viewer").to_owned();
        login(&client, &base, "viewer", &viewer).await?;
        client
            .goto(&format!("{list}/L001"))
            .await
            .map_err(e("goto"))?;
        if client.find(Locator::Css("#save")).await.is_ok() {
            return Err("a viewer is offered Save".into());
        }
        // The page offers no Save; the request is made anyway.
        let old = this_page(&client).await?;
        client
            .execute(
                "const f = document.querySelector('form.record');\
                 const b = document.createElement('button'); b.type = 'submit'; b.id = 'forced';\
                 f.appendChild(b); b.click();",
                Vec::new(),
            )
            .await
            .map_err(e("submit"))?;
        next_page(old).await?;
        let title = text_of(&client, "h1").await?;
        title
            .ends_with("Not allowed")
            .then_some(())
            .ok_or(format!("the server answered {title:?}"))
    })
    .await;

    let _ = client.close().await;
}

/// Issue 14, part 3, in a browser: a sales master sees the accounting
/// fields disabled, each saying which right it needs, saves the rest, and
/// the credit limit is kept; granted the right, the field is theirs to
/// change. The locked form has no serious accessibility violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sales_master_sees_the_accounting_fields_locked_and_saves_the_rest() {
    let host = Host::new();
    let (code, out, err) = super::support::erp_host(
        &host.db(),
        &["group", "edit", "L001", "--credit-limit", "1234.00"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let axe = axe_script();
    let server = host.serve(&[]);
    let (driver, chromium) = Driver::start();
    let client = browser(&driver, &chromium).await;
    let base = server.url("");
    let sales = host.password("sales").to_owned();
    let form = server.url("/form/customergroup/L001");

    step(&client, "r1-login", || {
        login(&client, &base, "sales", &sales)
    })
    .await;

    step(&client, "r2-locked", || async {
        client.goto(&form).await.map_err(e("goto"))?;
        for id in ["credit-limit", "receivable-account", "bypass-credit-check"] {
            let input = client
                .find(Locator::Css(&format!("#{id}")))
                .await
                .map_err(e("find"))?;
            if input.is_enabled().await.map_err(e("enabled"))? {
                return Err(format!("#{id} is editable"));
            }
            let note = text_of(&client, &format!("#locked-{id}")).await?;
            if !note.contains("right to change") {
                return Err(format!("#{id}: {note:?}"));
            }
        }
        let name = client
            .find(Locator::Css("#name"))
            .await
            .map_err(e("find"))?;
        name.is_enabled()
            .await
            .map_err(e("enabled"))?
            .then_some(())
            .ok_or("the name is locked".into())
    })
    .await;

    step(&client, "r3-axe-locked", || async {
        keep_screenshot(&client, "locked.png").await?;
        let found = serious_violations(&client, &axe).await?;
        found.is_empty().then_some(()).ok_or(format!("{found:#?}"))
    })
    .await;

    step(&client, "r4-save-the-rest", || async {
        fill(&client, "#name", "Renamed in a browser").await?;
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await?;
        let limit = client
            .find(Locator::Css("#credit-limit"))
            .await
            .map_err(e("find"))?
            .prop("value")
            .await
            .map_err(e("value"))?
            .unwrap_or_default();
        (limit == "1234.00")
            .then_some(())
            .ok_or(format!("the credit limit became {limit:?}"))
    })
    .await;

    let (code, out, err) =
        super::support::erp_host(&host.db(), &["user", "grant", "sales", "accounting"]);
    assert_eq!(code, 0, "{out}{err}");

    step(&client, "r5-granted", || async {
        client.goto(&form).await.map_err(e("goto"))?;
        fill(&client, "#credit-limit", "2000.00").await?;
        click(&client, Locator::Css("#save")).await?;
        text_of(&client, "#saved").await?;
        let still = client
            .find(Locator::Css("#bypass-credit-check"))
            .await
            .map_err(e("find"))?
            .is_enabled()
            .await
            .map_err(e("enabled"))?;
        (!still)
            .then_some(())
            .ok_or("bypass-credit-check needs the credit-controller right".into())
    })
    .await;

    let _ = client.close().await;
    let (_, shown, _) = super::support::erp_host(&host.db(), &["group", "show", "L001"]);
    assert!(
        shown.contains("Renamed in a browser") && shown.contains("2000.00"),
        "{shown}"
    );
}
