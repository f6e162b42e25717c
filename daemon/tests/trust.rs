//! Trust tests of `erp-sync` (issue 11): read-only commands that never
//! write, a busy store retried, a configuration directory replaced under a
//! running daemon, files read mid-write, diagnostics that point at values.
//! All through the real binary, real files and directory swaps, a real
//! second SQLite connection holding the lock, real signals.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use host_harness::{Db, PLUGIN_WASM, admin, sample};
use rusqlite::Connection;

struct Fixture {
    dir: tempfile::TempDir,
    /// The configuration directory the daemon is pointed at.
    config: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("config");
        std::fs::create_dir(&config).expect("config dir");
        let fixture = Self { dir, config };
        let db = fixture.db();
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        fixture
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn db_path(&self) -> PathBuf {
        self.root().join("erp.sqlite")
    }

    fn db(&self) -> Db {
        Db::open(&self.db_path()).expect("db")
    }

    fn write(&self, name: &str, text: &str) {
        write_file(&self.config.join(name), text);
    }

    fn command_on(&self, db: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(erp_sync());
        cmd.arg("--db")
            .arg(db)
            .env("ERP_SYNC_CONFIG", &self.config)
            .args(args)
            .env_remove("ERP_DB")
            .env_remove("ERP_SYNC_PRUNE")
            .env_remove("ERP_SYNC_MAX_REMOVAL")
            .env("ERP_SYNC_LOG_LEVEL", "warn");
        cmd
    }

    fn command(&self, args: &[&str]) -> Command {
        self.command_on(&self.db_path(), args)
    }

    fn sync(&self, args: &[&str]) -> (i32, String) {
        output(self.command(args))
    }

    /// `erp-sync run` in the background, its output in a log file.
    fn spawn(&self, args: &[&str]) -> Daemon {
        let log = self.root().join(format!(
            "run-{}.log",
            std::fs::read_dir(self.root()).map_or(0, |d| d.count())
        ));
        let file = File::create(&log).expect("log file");
        let debounce: &[&str] = if args.contains(&"--debounce-ms") {
            &[]
        } else {
            &["--debounce-ms", "100"]
        };
        let child = self
            .command(&["run", "--interval-secs", "3600"])
            .args(debounce)
            .args(args)
            .env("ERP_SYNC_LOG_LEVEL", "info")
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log file"))
            .stderr(file)
            .spawn()
            .expect("spawn erp-sync run");
        Daemon { child, log }
    }

    fn runs(&self) -> i64 {
        self.db()
            .conn()
            .query_row("SELECT count(*) FROM sync_runs", [], |r| r.get(0))
            .expect("count runs")
    }

    fn name_of(&self, code: &str) -> Option<(String, bool)> {
        self.db()
            .group(code)
            .expect("read")
            .map(|r| (r.group.name, r.group.inactive))
    }
}

struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Daemon {
    fn log(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.log).unwrap_or_default()).into_owned()
    }

    /// SIGTERM, then waits for a clean exit.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "erp-sync run exited with {status}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "erp-sync run did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary under test: `ERP_SYNC_BIN` (to show a test failing on an
/// older build), else the one cargo built.
fn erp_sync() -> OsString {
    std::env::var_os("ERP_SYNC_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_erp-sync").into())
}

fn output(mut cmd: Command) -> (i32, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run erp-sync");
    let mut text = String::from_utf8_lossy(&stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&stderr));
    (status.code().unwrap_or(-1), text)
}

fn write_file(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write config");
}

/// Polls `done` until it holds, failing after `limit` with `what` and the log.
fn eventually(what: &str, limit: Duration, daemon: &Daemon, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}; daemon log:\n{}",
            daemon.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Runs the real `erp-host` CLI in-process: exit code, stdout, stderr.
fn erp_host(db: &Path, args: &[&str]) -> (u8, String, String) {
    let mut argv: Vec<OsString> = vec!["erp-host".into(), "--db".into(), db.into()];
    argv.extend(args.iter().map(OsString::from));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = host_harness::cli::main_with(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

const ONE: &str = "[[group]]\ncode = \"A1\"\nname = \"Alpha\"\n";

// --- 10. read-only commands ------------------------------------------------------

#[test]
fn read_only_commands_never_create_the_store() {
    let f = Fixture::new();
    let typo = f.root().join("erp.sqlit");
    for args in [&["status"][..], &["status", "--json"], &["plan"]] {
        let (code, out) = output(f.command_on(&typo, args));
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(
            out.contains(&format!("there is no database at {}", typo.display())),
            "{args:?} names the missing path: {out}"
        );
        assert!(!out.contains("no runs yet"), "{out}");
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
}

#[test]
fn read_only_commands_read_while_a_writer_holds_a_transaction() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    f.write("a.toml", &ONE.replace("Alpha", "Alpha Two"));

    // Another client holds a write transaction with an uncommitted change,
    // longer than the busy timeout.
    let holder = Connection::open(f.db_path()).expect("holder");
    holder
        .execute_batch(
            "BEGIN IMMEDIATE; UPDATE customer_groups SET name = 'uncommitted' WHERE code = 'A1';",
        )
        .expect("hold the write lock");
    let started = Instant::now();
    let (code, out) = f.sync(&["status"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("owned groups: 1") && out.contains("applied"),
        "{out}"
    );
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("~ update A1"), "{out}");
    let (code, list, err) = erp_host(&f.db_path(), &["group", "list"]);
    assert_eq!(code, 0, "{list}{err}");
    assert!(
        list.contains("Alpha") && !list.contains("uncommitted"),
        "{list}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "reads waited for the writer: {:?}",
        started.elapsed()
    );
    holder.execute_batch("ROLLBACK").expect("release");
}

/// The effective user id of this process (the owner of `/proc/self`).
fn euid() -> u32 {
    std::fs::metadata("/proc/self").expect("/proc/self").uid()
}

#[test]
fn read_only_commands_work_on_a_read_only_file() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    // The store in a directory of its own the reader may create the WAL
    // index in, the file itself not writable by the reader.
    let ro = f.root().join("ro");
    std::fs::create_dir(&ro).expect("ro dir");
    let db = ro.join("erp.sqlite");
    std::fs::copy(f.db_path(), &db).expect("copy the store");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    std::fs::set_permissions(f.root(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&f.config, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(
        f.config.join("a.toml"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let before = std::fs::read(&db).expect("read");
    for args in [&["status"][..], &["plan"]] {
        let mut cmd = if euid() == 0 {
            // root writes any file: run as nobody, for whom it is read-only.
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(erp_sync());
            cmd
        } else {
            Command::new(erp_sync())
        };
        cmd.arg("--db")
            .arg(&db)
            .env("ERP_SYNC_CONFIG", &f.config)
            .args(args)
            .env_remove("ERP_DB")
            .env("ERP_SYNC_LOG_LEVEL", "warn");
        let (code, out) = output(cmd);
        assert_eq!(code, 0, "{args:?} on a read-only file: {out}");
        assert!(!out.contains("readonly"), "{out}");
    }
    assert_eq!(
        std::fs::read(&db).expect("read"),
        before,
        "the file was written"
    );
}

// --- 9. a busy store --------------------------------------------------------------

#[test]
fn a_busy_store_is_retried_until_applied_and_the_failure_recorded() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    let daemon = f.spawn(&[]);
    eventually("A1 created", Duration::from_secs(20), &daemon, || {
        f.name_of("A1").is_some()
    });
    let runs_before = f.runs();

    // Another client holds the write lock past the busy timeout (5 s) while
    // the change is made.
    let holder = Connection::open(f.db_path()).expect("holder");
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("hold the write lock");
    f.write("a.toml", &ONE.replace("Alpha", "Alpha Two"));
    eventually(
        "the daemon to report the store busy",
        Duration::from_secs(20),
        &daemon,
        || daemon.log().contains("database is locked"),
    );
    // Meanwhile `status` (reading under the lock) says so.
    eventually(
        "status to show the busy store",
        Duration::from_secs(20),
        &daemon,
        || {
            let (_, status) = f.sync(&["status"]);
            status.contains("busy: erp-sync run cannot write to the store since")
                && status.contains("database is locked")
        },
    );
    holder.execute_batch("ROLLBACK").expect("release");
    let released = Instant::now();
    drop(holder);

    // Applied by a retry (the timer is an hour away), soon after the release.
    eventually(
        "the change applied",
        Duration::from_secs(15),
        &daemon,
        || f.name_of("A1") == Some(("Alpha Two".into(), false)),
    );
    assert!(
        released.elapsed() < Duration::from_secs(12),
        "applied {:?} after the release",
        released.elapsed()
    );
    // The failed attempt is in the run log, before the run that applied.
    let (_, out) = f.sync(&["status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out).expect("status json");
    let runs = status["runs"].as_array().expect("runs");
    assert_eq!(runs[0]["outcome"], "applied", "{out}");
    assert_eq!(runs[1]["outcome"], "failed", "{out}");
    assert!(
        runs[1]["warnings"][0]
            .as_str()
            .is_some_and(|w| w.contains("database is locked")),
        "{out}"
    );
    assert!(f.runs() >= runs_before + 2);
    assert!(
        status["busy"].is_null(),
        "the note is gone once recorded: {out}"
    );
    daemon.stop();
}

// --- 7. the configuration directory replaced ---------------------------------------

/// `run` follows the directory at its path through `replace` (which leaves
/// A1 named "Alpha Two" in the new directory and returns it), then sees a
/// later edit inside the new directory within the debounce.
fn follows_a_replaced_directory(f: &Fixture, replace: impl FnOnce(&Fixture) -> PathBuf) {
    f.write("a.toml", ONE);
    let daemon = f.spawn(&[]);
    eventually("A1 created", Duration::from_secs(20), &daemon, || {
        f.name_of("A1").is_some()
    });
    let new_dir = replace(f);
    eventually(
        "the replaced directory's A1 applied",
        Duration::from_secs(10),
        &daemon,
        || f.name_of("A1") == Some(("Alpha Two".into(), false)),
    );
    // A later change inside the new directory: seen by the watch (the
    // timer is an hour away).
    write_file(
        &new_dir.join("a.toml"),
        &ONE.replace("Alpha", "Alpha Three"),
    );
    eventually(
        "an edit in the new directory applied",
        Duration::from_secs(10),
        &daemon,
        || f.name_of("A1") == Some(("Alpha Three".into(), false)),
    );
    write_file(
        &new_dir.join("sub/b.toml"),
        "[[group]]\ncode = \"B1\"\nname = \"Beta\"\n",
    );
    eventually(
        "a file in a new subdirectory applied",
        Duration::from_secs(10),
        &daemon,
        || f.name_of("B1").is_some(),
    );
    daemon.stop();
}

#[test]
fn run_follows_the_directory_removed_and_made_again() {
    let f = Fixture::new();
    follows_a_replaced_directory(&f, |f| {
        std::fs::remove_dir_all(&f.config).expect("rm -rf");
        std::fs::create_dir(&f.config).expect("mkdir");
        f.write("a.toml", &ONE.replace("Alpha", "Alpha Two"));
        f.config.clone()
    });
}

#[test]
fn run_follows_a_rename_swap_of_the_directory() {
    let f = Fixture::new();
    follows_a_replaced_directory(&f, |f| {
        let next = f.root().join("config.new");
        write_file(&next.join("a.toml"), &ONE.replace("Alpha", "Alpha Two"));
        std::fs::rename(&f.config, f.root().join("config.old")).expect("mv cfg cfg.old");
        std::fs::rename(&next, &f.config).expect("mv cfg.new cfg");
        f.config.clone()
    });
}

#[test]
fn run_follows_a_symlink_swap_of_the_directory() {
    let f = Fixture::new();
    // The configuration as Kubernetes mounts a ConfigMap: a symbolic link
    // to the current version, swapped atomically for the next.
    let v1 = f.root().join("v1");
    std::fs::rename(&f.config, &v1).expect("config -> v1");
    std::os::unix::fs::symlink("v1", &f.config).expect("ln -s v1 config");
    follows_a_replaced_directory(&f, |f| {
        let v2 = f.root().join("v2");
        write_file(&v2.join("a.toml"), &ONE.replace("Alpha", "Alpha Two"));
        let tmp = f.root().join("config.tmp");
        std::os::unix::fs::symlink("v2", &tmp).expect("ln -sfn v2 config.tmp");
        std::fs::rename(&tmp, &f.config).expect("mv -T config.tmp config");
        v2
    });
}

// --- 8. a file read mid-write --------------------------------------------------------

const MANY: usize = 10_000;

fn many_groups(range: std::ops::Range<usize>, last_name: &str) -> String {
    range
        .map(|n| {
            let name = if n == MANY - 1 {
                last_name.to_owned()
            } else {
                format!("Group {n}")
            };
            format!("[[group]]\ncode = \"W{n}\"\nname = \"{name}\"\n\n")
        })
        .collect()
}

/// Every group's code, creation time and row: a group deleted and created
/// again has a new row.
fn identities(f: &Fixture) -> Vec<(String, String, i64, bool)> {
    let db = f.db();
    let conn = db.conn();
    let mut stmt = conn
        .prepare("SELECT code, created_at, rowid, inactive FROM customer_groups ORDER BY code")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Writes a 10,000-group file in place the way a slow writer does: 9,500
/// groups, a pause of a second, then the rest (where the last group gets a
/// new name). Not one group may be deactivated or deleted on the way.
fn a_half_written_file_removes_nothing(args: &[&str]) {
    let f = Fixture::new();
    f.write("big.toml", &many_groups(0..MANY, "Last"));
    let daemon = f.spawn(args);
    eventually(
        "10,000 groups created",
        Duration::from_secs(120),
        &daemon,
        || f.name_of(&format!("W{}", MANY - 1)).is_some(),
    );
    let before = identities(&f);
    let runs_before = f.runs();

    let mut file = File::create(f.config.join("big.toml")).expect("truncate big.toml");
    let cut = MANY - 500;
    file.write_all(many_groups(0..cut, "").as_bytes())
        .expect("first part");
    file.sync_all().expect("flush");
    std::thread::sleep(Duration::from_secs(1));
    file.write_all(many_groups(cut..MANY, "Last, rewritten").as_bytes())
        .expect("the rest");
    file.sync_all().expect("flush");
    drop(file);
    eventually(
        "the whole file applied",
        Duration::from_secs(60),
        &daemon,
        || f.name_of(&format!("W{}", MANY - 1)) == Some(("Last, rewritten".into(), false)),
    );
    // The read of the half file saw 500 groups missing; that reconcile
    // would have confirmed their removal by now.
    std::thread::sleep(Duration::from_secs(3));
    let (removed, runs): (i64, i64) = f
        .db()
        .conn()
        .query_row(
            "SELECT coalesce(sum(deactivated + deleted), 0), count(*) FROM sync_runs WHERE id > ?1",
            [runs_before],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("run log");
    assert!(runs >= 1, "no reconcile after the write");
    assert_eq!(removed, 0, "groups were removed while the file was written");
    let after: Vec<_> = identities(&f)
        .into_iter()
        .filter(|g| g.0 != format!("W{}", MANY - 1))
        .collect();
    let before: Vec<_> = before
        .into_iter()
        .filter(|g| g.0 != format!("W{}", MANY - 1))
        .collect();
    assert!(
        after == before,
        "groups were deactivated, or deleted and created again"
    );
    daemon.stop();
}

#[test]
fn a_half_written_file_deactivates_nothing() {
    a_half_written_file_removes_nothing(&[]);
}

#[test]
fn a_half_written_file_deletes_nothing_with_prune() {
    a_half_written_file_removes_nothing(&["--prune"]);
}

/// A group really removed is removed, once the files have settled.
#[test]
fn a_removal_is_applied_once_the_files_read_the_same() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    f.write("b.toml", "[[group]]\ncode = \"B1\"\nname = \"Beta\"\n");
    f.write("c.toml", "[[group]]\ncode = \"C1\"\nname = \"Gamma\"\n");
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    std::fs::remove_file(f.config.join("a.toml")).expect("rm");
    let started = Instant::now();
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert!(started.elapsed() >= Duration::from_secs(2), "{out}");
    assert!(out.contains("- deactivate A1"), "{out}");
    assert_eq!(f.name_of("A1"), Some(("Alpha".into(), true)));

    let daemon = f.spawn(&[]);
    eventually(
        "the start-up reconcile",
        Duration::from_secs(20),
        &daemon,
        || daemon.log().contains("reconciled"),
    );
    std::fs::remove_file(f.config.join("b.toml")).expect("rm");
    eventually("B1 deactivated", Duration::from_secs(10), &daemon, || {
        f.name_of("B1") == Some(("Beta".into(), true))
    });
    daemon.stop();
}

// --- 12. where errors point ------------------------------------------------------------

#[test]
fn plugin_errors_point_at_the_value_in_line_order() {
    let f = Fixture::new();
    // The plugin hears the node first (parents first), the kid's error
    // comes first in the file.
    f.write(
        "long.toml",
        "[[group]]\ncode = \"KID1\"\nname = \"Kid\"\nparent = \"NODEX\"\n\n\
         [[group]]\ncode = \"NODEXXXXX\"\nname = \"Node\"\nis-group = true\n",
    );
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 1, "{out}");
    let kid = out
        .find("--> long.toml:4:10\n")
        .unwrap_or_else(|| panic!("{out}"));
    let long = out
        .find("--> long.toml:7:8\n")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(kid < long, "a file's errors in line order:\n{out}");
    assert!(out.contains("at most 8"), "{out}");
    // The caret under the value.
    assert!(
        out.contains("7 | code = \"NODEXXXXX\"\n  |        ^"),
        "{out}"
    );
}

#[test]
fn file_errors_have_no_invented_position() {
    let f = Fixture::new();
    std::fs::write(f.root().join("outside.toml"), ONE).expect("outside");
    std::os::unix::fs::symlink("../outside.toml", f.config.join("evil.toml")).expect("link");
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--> evil.toml\n"), "{out}");
    assert!(
        !out.contains("evil.toml:0") && !out.contains("line=0"),
        "{out}"
    );
    let (_, status) = f.sync(&["status"]);
    assert!(
        status.contains("error: evil.toml: a symbolic link leads outside"),
        "{status}"
    );
    assert!(!status.contains(":0:0"), "{status}");
    let (_, json) = f.sync(&["plan", "--json"]);
    let plan: serde_json::Value = serde_json::from_str(&json).expect("plan json");
    let error = &plan["errors"][0];
    assert_eq!(error["file"], "evil.toml", "{json}");
    assert!(
        error.get("line").is_none() && error.get("column").is_none(),
        "{json}"
    );
}

#[test]
fn direction_overrides_and_a_bom_are_shown_escaped_with_true_columns() {
    let f = Fixture::new();
    f.write("bom.toml", "\u{feff}colour = \"red\"\n");
    f.write(
        "rtl.toml",
        "[[group]]\ncode = \"X2\"\nname = \"X\"\nnmae = \"a\u{202e}b\"\n",
    );
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--> bom.toml:1:1\n"), "{out}");
    assert!(out.contains("1 | colour = \"red\"\n  | ^^^^^^\n"), "{out}");
    assert!(out.contains("--> rtl.toml:4:1\n"), "{out}");
    assert!(
        !out.contains('\u{feff}') && !out.contains('\u{202e}'),
        "sent raw: {out:?}"
    );
    assert!(out.contains("nmae = \"a\u{fffd}b\""), "{out}");
}

// --- 14. a directory that cannot be watched ---------------------------------------------

#[test]
fn run_on_a_missing_directory_names_it() {
    let f = Fixture::new();
    let missing = f.root().join("no-such-config");
    let mut cmd = Command::new(erp_sync());
    cmd.arg("--db")
        .arg(f.db_path())
        .env("ERP_SYNC_CONFIG", &missing)
        .args(["run", "--interval-secs", "3600"])
        .env_remove("ERP_DB")
        .env("ERP_SYNC_LOG_LEVEL", "warn");
    let (code, out) = output(cmd);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "the configuration directory {} does not exist",
            missing.display()
        )),
        "{out}"
    );
    assert!(!out.contains("No path was found"), "{out}");
}

#[test]
fn run_on_an_unreadable_directory_names_it() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    f.write("a.toml", ONE);
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    mode(f.root(), 0o777);
    mode(&f.db_path(), 0o666);
    mode(&f.config, 0o000);
    let mut cmd = if euid() == 0 {
        // root reads any directory: run as nobody, who may not.
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(erp_sync());
        cmd
    } else {
        Command::new(erp_sync())
    };
    cmd.arg("--db")
        .arg(f.db_path())
        .env("ERP_SYNC_CONFIG", &f.config)
        .args(["run", "--interval-secs", "3600"])
        .env_remove("ERP_DB")
        .env("ERP_SYNC_LOG_LEVEL", "warn");
    let (code, out) = output(cmd);
    mode(&f.config, 0o755);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "cannot read the configuration directory {}: permission denied",
            f.config.display()
        )),
        "{out}"
    );
    assert!(
        !out.contains("os error") && !out.contains("about ["),
        "{out}"
    );
}

// --- 13. what inactive leaves behind ------------------------------------------------------

fn add_customer(f: &Fixture, code: &str, group: &str) {
    f.db()
        .conn()
        .execute(
            "INSERT INTO customers (code, name, group_code, currency) VALUES (?1, ?1, ?2, 'IDR')",
            [code, group],
        )
        .expect("customer");
}

#[test]
fn removing_a_group_with_active_customers_says_what_it_leaves() {
    let f = Fixture::new();
    let groups: String = (1..=3)
        .map(|n| format!("[[group]]\ncode = \"G{n}\"\nname = \"Group {n}\"\n\n"))
        .collect();
    f.write("a.toml", &groups);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    add_customer(&f, "C1", "G2");
    f.write(
        "a.toml",
        "[[group]]\ncode = \"G1\"\nname = \"Group 1\"\n\n[[group]]\ncode = \"G3\"\nname = \"Group 3\"\n",
    );
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("- deactivate G2"), "{out}");
    assert!(
        out.contains("warning: G2 (no longer declared in a.toml) is deactivated: the group still has 1 active customer(s)"),
        "{out}"
    );
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("still has 1 active customer(s)"), "{out}");
}

#[test]
fn an_inactive_parent_warns_and_closes_its_subtree_to_new_customers() {
    let f = Fixture::new();
    let tree = "[[group]]\ncode = \"NODE\"\nname = \"Node\"\nis-group = true\n\n\
                [[group]]\ncode = \"KID\"\nname = \"Kid\"\nparent = \"NODE\"\n";
    f.write("a.toml", tree);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    add_customer(&f, "C1", "KID");
    f.write(
        "a.toml",
        &tree.replace("is-group = true\n", "is-group = true\ninactive = true\n"),
    );
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("1 subgroup(s) stay active under it (KID) with 1 active customer(s)")
            && out.contains("[inactive.has-active-subgroups]"),
        "{out}"
    );
    assert!(out.contains("a.toml:5:12"), "points at `inactive`: {out}");
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    assert_eq!(f.name_of("NODE"), Some(("Node".into(), true)));
    // The host asks the plugin: no new customer under an inactive parent.
    let (code, out, err) = erp_host(
        &f.db_path(),
        &[
            "customer",
            "new",
            "--code",
            "C2",
            "--name",
            "Two",
            "--group",
            "KID",
            "--currency",
            "IDR",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("group KID is under inactive group NODE and takes no new customers"),
        "{err}"
    );
}

#[test]
fn a_value_too_big_for_the_plugin_names_its_group_and_file() {
    let f = Fixture::new();
    let mut values = host_harness::Limits::default().values();
    values[3] = host_harness::Limits::RANGES[3].min;
    values[4] = 0;
    let small = host_harness::Limits::from_values(values).expect("in range");
    f.db()
        .set_plugin_limits(Some(&small), "ops")
        .expect("limits");
    f.write("a.toml", ONE);
    let huge = "x".repeat(20 << 20);
    f.write(
        "big.toml",
        &format!("[[group]]\ncode = \"HUGE\"\nname = \"{huge}\"\n"),
    );
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{}", &out[..out.len().min(2000)]);
    assert!(
        out.contains("the plugin could not check group HUGE: the plugin exceeded its memory limit")
            && out.contains("--> big.toml:2:8"),
        "{}",
        &out[..out.len().min(2000)]
    );
    assert!(f.name_of("A1").is_none(), "nothing applied");
}

#[test]
fn status_shows_why_a_run_failed() {
    let f = Fixture::new();
    let mut values = host_harness::Limits::default().values();
    values[0] = host_harness::Limits::RANGES[0].min;
    values[1] = 0;
    let tight = host_harness::Limits::from_values(values).expect("in range");
    f.db()
        .set_plugin_limits(Some(&tight), "ops")
        .expect("limits");
    let many: String = (0..5_000)
        .map(|n| format!("[[group]]\ncode = \"M{n}\"\nname = \"Many {n}\"\n"))
        .collect();
    f.write("many.toml", &many);
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{out}");
    let (code, status) = f.sync(&["status"]);
    assert_eq!(code, 0, "{status}");
    assert!(status.contains("failed"), "{status}");
    assert!(
        status.contains("    failed: the plugin exceeded its fuel budget of 10000000 units"),
        "{status}"
    );
}

/// vim's save without a backup copy: the file is renamed away, then written
/// anew; with no debounce the daemon reads the directory in the gap.
#[test]
fn an_editor_save_with_no_debounce_removes_nothing() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    for (file, code) in [("b.toml", "B1"), ("c.toml", "C1"), ("d.toml", "D1")] {
        f.write(
            file,
            &format!("[[group]]\ncode = \"{code}\"\nname = \"{code}\"\n"),
        );
    }
    let daemon = f.spawn(&["--debounce-ms", "0"]);
    eventually(
        "the groups created",
        Duration::from_secs(20),
        &daemon,
        || f.name_of("D1").is_some(),
    );
    let runs_before = f.runs();
    let (path, backup) = (f.config.join("a.toml"), f.config.join("a.toml~"));
    std::fs::rename(&path, &backup).expect("rename to the backup");
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(&path, ONE.replace("Alpha", "Alpha Saved")).expect("write anew");
    std::fs::remove_file(&backup).expect("drop the backup");
    eventually("the save applied", Duration::from_secs(10), &daemon, || {
        f.name_of("A1") == Some(("Alpha Saved".into(), false))
    });
    std::thread::sleep(Duration::from_secs(3));
    let removed: i64 = f
        .db()
        .conn()
        .query_row(
            "SELECT coalesce(sum(deactivated + deleted), 0) FROM sync_runs WHERE id > ?1",
            [runs_before],
            |r| r.get(0),
        )
        .expect("run log");
    assert_eq!(
        removed,
        0,
        "A1 was deactivated during the save:\n{}",
        daemon.log()
    );
    daemon.stop();
}

/// Files that never settle hold removals back, not everything else: past
/// the patience the rest is applied, and the removal follows once they do.
#[test]
fn files_that_keep_changing_hold_back_only_the_removals() {
    let f = Fixture::new();
    for (file, code) in [
        ("a.toml", "A1"),
        ("b.toml", "B1"),
        ("c.toml", "C1"),
        ("d.toml", "D1"),
    ] {
        f.write(
            file,
            &format!("[[group]]\ncode = \"{code}\"\nname = \"{code}\"\n"),
        );
    }
    let daemon = f.spawn(&[]);
    eventually(
        "the groups created",
        Duration::from_secs(20),
        &daemon,
        || f.name_of("D1").is_some(),
    );
    std::fs::remove_file(f.config.join("d.toml")).expect("rm d.toml");
    let started = Instant::now();
    let mut n = 0;
    let applied = loop {
        n += 1;
        f.write(
            "b.toml",
            &format!("[[group]]\ncode = \"B1\"\nname = \"Beta {n}\"\n"),
        );
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(
            f.name_of("D1"),
            Some(("D1".into(), false)),
            "D1 removed while the files kept changing:\n{}",
            daemon.log()
        );
        if f.name_of("B1")
            .is_some_and(|(name, _)| name.starts_with("Beta "))
        {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the other changes were held back for good:\n{}",
            daemon.log()
        );
    };
    assert!(
        applied >= Duration::from_secs(15),
        "applied after {applied:?}"
    );
    eventually(
        "D1 deactivated once the files settle",
        Duration::from_secs(15),
        &daemon,
        || f.name_of("D1") == Some(("D1".into(), true)),
    );
    daemon.stop();
}
