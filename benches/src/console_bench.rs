//! The console under load: `erp-host serve`'s server (the library's, on a
//! loopback port in this process) over a store of 100,000 groups, measured
//! with `wrk` (50 connections, 2 threads; then 4) for a list search, a group's
//! form, and a constant asset of the list page's size served by the same
//! server (the floor: what the server, the network stack and wrk cost
//! without the page's work). Prints requests per second and the latency
//! percentiles of each, side by side, and the pages' weight.
//!
//! `console-bench [SECONDS]` (default 10 per measure). Needs `wrk`
//! (`apt-get install -y wrk`).

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;

use host_harness::actor::By;
use host_harness::console::{Console, ConsoleConfig};
use host_harness::wit::CustomerGroup;
use host_harness::{Db, PLUGIN_WASM, admin, sample, users};

// The console tests' HTTP client, shared rather than written again.
#[path = "../../host-harness/tests/console/wire.rs"]
mod wire;

const GROUPS: usize = 100_000;

/// Fills the store: the sample data, the plugin, 100 group nodes under
/// which 99,900 leaf groups hang, named so that searches match a few dozen.
fn store(path: &std::path::Path) -> String {
    let db = Db::open(path).expect("db");
    sample::seed(&db).expect("sample");
    admin::install_plugin(&db, PLUGIN_WASM, None, "bench").expect("plugin");
    db.write(|w| {
        for n in 0..100 {
            let mut node = CustomerGroup::new(&format!("N{n:03}"), &format!("Region {n:03}"));
            node.is_group = true;
            w.create_group(&node, By::cli("bench"))?;
        }
        for n in 100..GROUPS {
            let mut leaf = CustomerGroup::new(&format!("G{n:06}"), &format!("Customers {n:06}"));
            leaf.parent = Some(format!("N{:03}", n % 100));
            w.create_group(&leaf, By::cli("bench"))?;
        }
        Ok::<_, host_harness::StoreError>(())
    })
    .expect("groups");
    // The console starts only with an administrator; the load is a viewer's.
    users::add_user(
        &db,
        "boss",
        host_harness::store::Role::Administrator,
        None,
        "bench",
    )
    .expect("administrator");
    users::add_user(
        &db,
        "bench",
        host_harness::store::Role::Viewer,
        None,
        "bench",
    )
    .expect("user")
    .generated
    .expect("a password")
}

/// Logs in; the session cookie.
fn login(addr: SocketAddr, password: &str) -> String {
    let mut client = wire::Client::new(addr);
    let page = client.get("/login");
    let done = client.post(
        "/login",
        &[
            ("csrf", &page.csrf()),
            ("name", "bench"),
            ("password", password),
        ],
    );
    assert_eq!(done.status, 303, "login: {}", done.body);
    client.cookie.expect("the signed-in session")
}

/// A page's status and length as a signed-in client gets it.
fn fetch(addr: SocketAddr, cookie: &str, path: &str) -> (u16, usize) {
    let mut client = wire::Client::new(addr);
    client.cookie = Some(cookie.to_owned());
    let page = client.get(path);
    (page.status, page.body.len())
}

/// What wrk measured.
struct Measured {
    rps: f64,
    p50: f64,
    p99: f64,
}

/// Parses a latency like `1.23ms`, `850.00us`, `1.02s` into milliseconds.
fn millis(text: &str) -> f64 {
    let number = |suffix: &str| {
        text.strip_suffix(suffix)
            .and_then(|n| n.parse::<f64>().ok())
    };
    number("us")
        .map(|v| v / 1000.0)
        .or_else(|| number("ms"))
        .or_else(|| number("s").map(|v| v * 1000.0))
        .unwrap_or(f64::NAN)
}

fn wrk(url: &str, cookie: &str, seconds: u32, connections: u32) -> Measured {
    let threads = connections.min(2);
    let out = Command::new("wrk")
        .args([
            &format!("-t{threads}"),
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-H",
        ])
        .arg(format!("Cookie: {cookie}"))
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run wrk ({e}): install it with `apt-get install -y wrk`")
        });
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "wrk: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("Non-2xx"), "errors under load: {text}");
    let field = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.split_whitespace().next().unwrap_or_default().to_owned())
            .unwrap_or_else(|| panic!("no {label:?} in wrk's output: {text}"))
    };
    Measured {
        rps: field("Requests/sec:").parse().unwrap_or(0.0),
        p50: millis(&field("50%")),
        p99: millis(&field("99%")),
    }
}

fn main() {
    let seconds: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("erp.sqlite");
    let started = std::time::Instant::now();
    let password = store(&path);
    println!(
        "store of {GROUPS} groups made in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let list = "/form/customergroup?key=name&mode=start&text=Customers+0123";
    let form = "/form/customergroup/G012345";
    // The floor is the size of the list page: learnt from a first server.
    let measure_size = |config: ConsoleConfig| {
        let (addr, stop, thread) = serve(config);
        let cookie = login(addr, &password);
        let (s1, list_bytes) = fetch(addr, &cookie, list);
        let (s2, form_bytes) = fetch(addr, &cookie, form);
        assert_eq!((s1, s2), (200, 200), "the list and the form");
        (addr, stop, thread, cookie, list_bytes, form_bytes)
    };
    let (_, stop, thread, _, list_bytes, form_bytes) =
        measure_size(ConsoleConfig::new(path.clone()));
    let _ = stop.send(());
    let _ = thread.join();
    let mut config = ConsoleConfig::new(path.clone());
    config.floor_asset = Some(Arc::from(vec![b'x'; list_bytes].into_boxed_slice()));
    let (addr, stop, thread, cookie, _, _) = measure_size(config);
    let url = |p: &str| format!("http://{addr}{p}");
    let floor = wrk(&url("/assets/floor.bin"), &cookie, seconds, 50);
    let searched = wrk(&url(list), &cookie, seconds, 50);
    let shown = wrk(&url(form), &cookie, seconds, 50);
    // With 50 clients each waiting for its answer, a request's latency is
    // mostly the queue (50 / throughput); with 4, it is the page's own time.
    let searched_4 = wrk(&url(list), &cookie, seconds, 4);
    let shown_4 = wrk(&url(form), &cookie, seconds, 4);
    let _ = stop.send(());
    let _ = thread.join();

    println!(
        "wrk -d{seconds}s on loopback, {GROUPS} groups in the store; 50 connections unless said"
    );
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>10}",
        "", "req/s", "p50 ms", "p99 ms", "vs floor"
    );
    for (name, m) in [
        ("floor: the same bytes, constant", &floor),
        ("list search (start of name)", &searched),
        ("a group's form", &shown),
        ("list search, 4 connections", &searched_4),
        ("a group's form, 4 connections", &shown_4),
    ] {
        println!(
            "{name:<34} {:>10.0} {:>10.2} {:>10.2} {:>9.2}x",
            m.rps,
            m.p50,
            m.p99,
            floor.rps / m.rps
        );
    }
    println!(
        "page weight: list {:.1} KB, form {:.1} KB (target < 100 KB); \
         targets: p99 < 20 ms, list >= 1,000 req/s",
        list_bytes as f64 / 1024.0,
        form_bytes as f64 / 1024.0
    );
}

/// A console over `config` on a free loopback port, on its own runtime.
fn serve(
    mut config: ConsoleConfig,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<()>,
) {
    config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let console = Console::bind(config).expect("bind");
    let addr = console.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime
            .block_on(console.serve(async {
                let _ = stopped.await;
            }))
            .expect("serve");
    });
    (addr, stop, thread)
}
