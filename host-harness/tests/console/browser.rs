//! The console in a real browser: headless Chromium driven over WebDriver
//! (chromedriver, from `fantoccini`), against the real `erp-host serve`.
//! Chromium and its driver missing is a failure that says how to install
//! them, never a skip. A failing step leaves a screenshot in
//! `target/tmp/console-browser/` (the path is printed).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use super::support::Host;

const INSTALL: &str = "install them with `apt-get update && apt-get install -y chromium \
     chromium-driver` (Debian; .ci/run does this on CI), or point CHROMEDRIVER and \
     CHROMIUM at them";

/// `name` found in `$PATH`, or the path an environment variable gives.
fn program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(given) = std::env::var_os(env) {
        return Some(PathBuf::from(given));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A chromedriver on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> (Self, PathBuf) {
        let driver = program("CHROMEDRIVER", &["chromedriver"])
            .unwrap_or_else(|| panic!("chromedriver is not installed: {INSTALL}"));
        let chromium = program(
            "CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        )
        .unwrap_or_else(|| panic!("Chromium is not installed: {INSTALL}"));
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL}", driver.display()));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not listen on port {port} in 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        (Self { child, url }, chromium)
    }
}

/// A headless Chromium session.
async fn browser(driver: &Driver, chromium: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,2000"],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| {
            panic!("cannot start headless Chromium through chromedriver: {e}; {INSTALL}")
        })
}

/// Where a failing step's screenshot goes.
fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-browser")
}

type Step = Result<(), String>;

/// Runs a step; on failure saves a screenshot named after it and fails.
async fn step<F, Fut>(client: &Client, name: &str, body: F)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Step>,
{
    if let Err(why) = body().await {
        let dir = artifacts();
        let _ = std::fs::create_dir_all(&dir);
        let shot = dir.join(format!("{name}.png"));
        let saved = match client.screenshot().await {
            Ok(png) => std::fs::write(&shot, png).map(|()| shot.display().to_string()),
            Err(e) => Ok(format!("no screenshot: {e}")),
        };
        let url = client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        panic!("step {name} failed at {url}: {why} (screenshot: {saved:?})");
    }
}

fn e(what: &str) -> impl Fn(fantoccini::error::CmdError) -> String + '_ {
    move |err| format!("{what}: {err}")
}

async fn fill(client: &Client, css: &str, text: &str) -> Step {
    let input = client.find(Locator::Css(css)).await.map_err(e(css))?;
    input.clear().await.map_err(e(css))?;
    input.send_keys(text).await.map_err(e(css))
}

async fn click(client: &Client, locator: Locator<'_>) -> Step {
    let what = format!("{locator:?}");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(locator)
        .await
        .map_err(e(&what))?
        .click()
        .await
        .map_err(e(&what))
}

async fn text_of(client: &Client, css: &str) -> Result<String, String> {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .map_err(e(css))?
        .text()
        .await
        .map_err(e(css))
}

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
        click(&client, Locator::LinkText("Customer Group")).await?;
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
        click(&client, Locator::Css("#search")).await?;
        let table = text_of(&client, "table.list tbody").await?;
        table
            .contains("Made in a browser")
            .then_some(())
            .ok_or(format!("list: {table}"))
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
