//! Trust tests of `erp-sync` (issue 11): read-only commands that never
//! write, a busy store retried, a configuration directory replaced under a
//! running daemon, files read mid-write, diagnostics that point at values.
//! All through the real binary, real files and directory swaps, a real
//! second SQLite connection holding the lock, real signals.

use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
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
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_erp-sync"));
        cmd.arg("--db")
            .arg(db)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env_remove("ERP_DB")
            .env_remove("ERP_SYNC_CONFIG")
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
                .arg(env!("CARGO_BIN_EXE_erp-sync"));
            cmd
        } else {
            Command::new(env!("CARGO_BIN_EXE_erp-sync"))
        };
        cmd.arg("--db")
            .arg(&db)
            .arg("--config")
            .arg(&f.config)
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
