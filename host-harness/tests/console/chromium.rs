//! A headless Chromium session for the console's browser tests, driven
//! over WebDriver (chromedriver, from `fantoccini`): starting the driver
//! and the browser, the steps that leave a screenshot when they fail, and
//! the few gestures every test uses (fill, click, wait for the next page,
//! log in). Chromium and its driver missing is a failure that says how to
//! install them, never a skip. A failing step's screenshot goes to
//! `target/tmp/console-browser/` (the path is printed).
//!
//! Shared with the daemon's console test (`daemon/tests/console.rs`
//! includes this file), so it names nothing of either package.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub const INSTALL: &str = "install them with `apt-get update && apt-get install -y chromium \
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
pub struct Driver {
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
    pub fn start() -> (Self, PathBuf) {
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
pub async fn browser(driver: &Driver, chromium: &Path) -> Client {
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
pub fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("console-browser")
}

pub type Step = Result<(), String>;

/// Runs a step; on failure saves a screenshot named after it and fails.
pub async fn step<F, Fut>(client: &Client, name: &str, body: F)
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

pub fn e(what: &str) -> impl Fn(fantoccini::error::CmdError) -> String + '_ {
    move |err| format!("{what}: {err}")
}

pub async fn fill(client: &Client, css: &str, text: &str) -> Step {
    let input = client.find(Locator::Css(css)).await.map_err(e(css))?;
    input.clear().await.map_err(e(css))?;
    input.send_keys(text).await.map_err(e(css))
}

pub async fn click(client: &Client, locator: Locator<'_>) -> Step {
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

pub async fn text_of(client: &Client, css: &str) -> Result<String, String> {
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

pub async fn this_page(client: &Client) -> Result<fantoccini::elements::Element, String> {
    client.find(Locator::Css("html")).await.map_err(e("html"))
}

/// Waits until `old` (a page's root) is gone: the next page has loaded.
pub async fn next_page(old: fantoccini::elements::Element) -> Step {
    let started = Instant::now();
    while old.tag_name().await.is_ok() {
        if started.elapsed() > Duration::from_secs(20) {
            return Err("the next page did not load in 20 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Clicks what leads to another page, and waits for it.
pub async fn go(client: &Client, locator: Locator<'_>) -> Step {
    let old = this_page(client).await?;
    click(client, locator).await?;
    next_page(old).await
}

/// Logs in through the login form of the console at `base`
/// (`http://host:port`), and checks the header names the user.
pub async fn login(client: &Client, base: &str, name: &str, password: &str) -> Step {
    client
        .goto(&format!("{base}/login"))
        .await
        .map_err(e("goto"))?;
    fill(client, "#name", name).await?;
    fill(client, "#password", password).await?;
    click(client, Locator::Css("#login")).await?;
    let user = text_of(client, "#user").await?;
    (user == name)
        .then_some(())
        .ok_or(format!("signed in as {user:?}"))
}
