//! The console marks what the daemon owns: the real `erp-sync` applies a
//! file to a real store, then the real console (`host_harness::console`,
//! served on a loopback port in this process: `erp-host` is not built
//! when only this package is tested) shows which file declares a group,
//! what an edit there leads to, the drift after one, and the daemon's
//! status with its last runs: over HTTP, and in headless Chromium.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::Locator;
use host_harness::console::{Console, ConsoleConfig};
use host_harness::{Db, PLUGIN_WASM, admin, sample};

// The host's browser-test support, shared rather than written twice.
#[path = "../../host-harness/tests/console/chromium.rs"]
mod chromium;
#[path = "../../host-harness/tests/console/wire.rs"]
mod wire;

fn erp_host(db: &Path, args: &[&str]) -> String {
    let mut argv: Vec<OsString> = vec!["erp-host".into(), "--db".into(), db.into()];
    argv.extend(args.iter().map(OsString::from));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = host_harness::cli::main_with(argv, &mut out, &mut err);
    let text = String::from_utf8_lossy(&out).into_owned();
    assert_eq!(code, 0, "{args:?}: {text}{}", String::from_utf8_lossy(&err));
    text
}

fn sync(db: &Path, config: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_erp-sync"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ERP_DB")
        .env("ERP_SYNC_CONFIG", config)
        .env("ERP_SYNC_LOG_LEVEL", "warn")
        .output()
        .expect("run erp-sync");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "erp-sync {args:?}: {text}");
    text
}

/// A console serving `db` on a free loopback port until dropped.
struct Served {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    fn start(db: PathBuf) -> Self {
        let mut config = ConsoleConfig::new(db);
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        let console = Console::bind(config).expect("bind the console");
        let addr = console.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("runtime");
            runtime
                .block_on(console.serve(async {
                    let _ = stopped.await;
                }))
                .expect("serve");
        });
        Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A store with the sample data, the plugin and an administrator, and
/// `north.toml` (group NORTH) applied to it by the real `erp-sync`: the
/// directory, the store, the config directory and the password.
fn synced() -> (tempfile::TempDir, PathBuf, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("erp.sqlite");
    let config = dir.path().join("config");
    std::fs::create_dir(&config).expect("config dir");
    {
        let store = Db::open(&db).expect("db");
        sample::seed(&store).expect("sample data");
        admin::install_plugin(&store, PLUGIN_WASM, None, "test").expect("plugin");
    }
    let out = erp_host(&db, &["user", "add", "boss", "--role", "administrator"]);
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("password")
        .to_owned();
    std::fs::write(
        config.join("north.toml"),
        "[[group]]\ncode = \"NORTH\"\nname = \"North region\"\n",
    )
    .expect("write");
    sync(&db, &config, &["apply", "--once"]);
    (dir, db, config, password)
}

#[test]
fn the_console_marks_what_the_daemon_owns_its_drift_and_the_daemon_s_status() {
    let (_dir, db, config, password) = synced();
    let served = Served::start(db.clone());
    let mut client = wire::Client::new(served.addr);
    let login = client.get("/login");
    let done = client.post(
        "/login",
        &[
            ("csrf", &login.csrf()),
            ("name", "boss"),
            ("password", &password),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);

    let list = client.get("/form/customergroup?text=NORTH").body;
    assert!(list.contains("NORTH</a> <span class=\"owned\""), "{list}");
    assert!(list.contains("(north.toml)"), "{list}");
    let form = client.get("/form/customergroup/NORTH");
    assert!(
        form.body.contains(
            "Managed by the sync daemon: declared in north.toml. An edit here is reported as drift"
        ),
        "{}",
        form.body
    );
    assert!(
        !form.body.contains("changed here since the daemon applied"),
        "{}",
        form.body
    );

    // An edit in the console is drift, and the status page says so.
    let saved = client.post(
        "/form/customergroup/NORTH",
        &[
            ("csrf", &form.csrf()),
            ("version", "1"),
            ("name", "Edited here"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let form = client.get("/form/customergroup/NORTH").body;
    assert!(
        form.contains("changed here since the daemon applied its file (drift)"),
        "{form}"
    );
    sync(&db, &config, &["apply", "--once", "--drift", "restore"]);
    let page = client.get("/sync").body;
    for text in [
        "<td id=\"drift-mode\">restore</td>",
        "1 created, 0 updated",
        "class=\"outcome-applied\"",
    ] {
        assert!(page.contains(text), "{text}: {page}");
    }
    let form = client.get("/form/customergroup/NORTH").body;
    assert!(form.contains("value=\"North region\""), "restored: {form}");
    assert!(
        form.contains("put back to the file&#39;s values by its next run"),
        "{form}"
    );
}

/// What an administrator sees in the browser: the owned group's file in
/// the list and on its form, the drift an edit there makes, and the
/// daemon's status page with its last run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_owned_group_is_marked_in_the_browser() {
    use chromium::{Driver, browser, e, fill, go, login, step, text_of};

    let (_dir, db, config, password) = synced();
    let served = Served::start(db.clone());
    let base = format!("http://{}", served.addr);
    let (driver, binary) = Driver::start();
    let client = browser(&driver, &binary).await;

    step(&client, "d1-login", || {
        login(&client, &base, "boss", &password)
    })
    .await;
    step(&client, "d2-list-mark", || async {
        let list = format!("{base}/form/customergroup?text=NORTH");
        client.goto(&list).await.map_err(e("goto"))?;
        let mark = text_of(&client, "table.list tbody .owned").await?;
        mark.contains("north.toml")
            .then_some(())
            .ok_or(format!("the list's mark says {mark:?}"))
    })
    .await;
    step(&client, "d3-form-mark", || async {
        go(&client, Locator::LinkText("NORTH")).await?;
        let said = owner_notes(&client).await?;
        (said.contains("declared in north.toml") && said.contains("reported as drift"))
            .then_some(())
            .ok_or(format!("the form says {said:?}"))
    })
    .await;
    step(&client, "d4-edit-is-drift", || async {
        fill(&client, "#name", "Edited in the browser").await?;
        go(&client, Locator::Css("#save")).await?;
        let said = owner_notes(&client).await?;
        said.contains("changed here since the daemon applied its file (drift)")
            .then_some(())
            .ok_or(format!("after the edit the form says {said:?}"))
    })
    .await;
    sync(&db, &config, &["apply", "--once", "--drift", "restore"]);
    step(&client, "d5-status", || async {
        client
            .goto(&format!("{base}/sync"))
            .await
            .map_err(e("goto"))?;
        let mode = text_of(&client, "#drift-mode").await?;
        (mode == "restore")
            .then_some(())
            .ok_or(format!("the status page's drift mode is {mode:?}"))
    })
    .await;
    client.close().await.expect("close the browser");
}

/// What the form says of its group's owner, every note in one text.
async fn owner_notes(client: &fantoccini::Client) -> Result<String, String> {
    let mut said = String::new();
    for note in client
        .find_all(Locator::Css("p.owned"))
        .await
        .map_err(chromium::e("p.owned"))?
    {
        said.push_str(&note.text().await.map_err(chromium::e("a note"))?);
        said.push('\n');
    }
    Ok(said)
}
