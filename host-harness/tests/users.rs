//! `erp-host user` through the real binary on a real SQLite file: a
//! generated password printed once and stored only as an argon2id hash, a
//! chosen one read from standard input, roles, disabling, and the refusals
//! (a duplicate, a short password, the last administrator, an unknown role).

#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_erp-host");

/// `erp-host --db DB args` with `stdin`: exit code, stdout, stderr.
fn run(db: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ERP_DB")
        .env_remove("ERP_USER")
        .env_remove("ERP_LOCALE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run erp-host");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("stdin");
    }
    let output = child.wait_with_output().expect("wait");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn database() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("erp.sqlite");
    (dir, db)
}

/// The stored row of `name`: role, hash, disabled.
fn stored(db: &Path, name: &str) -> Option<(String, String, bool)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT role, password_hash, disabled FROM users WHERE name = ?1",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .ok()
}

#[test]
fn the_first_administrator_s_password_is_generated_printed_once_and_only_hashed() {
    let (_dir, db) = database();
    let (code, out, err) = run(&db, &["user", "list"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("user add NAME --role administrator"), "{out}");
    let (code, out, err) = run(
        &db,
        &["user", "add", "admin", "--role", "administrator"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("added user admin (administrator)\npassword: "),
        "{out}"
    );
    assert!(out.contains("shown once and not stored"), "{out}");
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a password");
    assert_eq!(password.len(), 20, "{password}");
    let (role, hash, disabled) = stored(&db, "admin").expect("stored");
    assert_eq!((role.as_str(), disabled), ("administrator", false));
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(password));
    let file = std::fs::read(&db).expect("read the database");
    let text = String::from_utf8_lossy(&file);
    assert!(!text.contains(password), "the password is not in the file");
    let (_, again, _) = run(&db, &["user", "add", "admin2", "--role", "viewer"], "");
    assert_ne!(
        again.lines().nth(1),
        out.lines().nth(1),
        "a new password each time"
    );
    let (code, list, _) = run(&db, &["user", "list"], "");
    assert_eq!(code, 0);
    assert!(
        list.contains("admin ") && list.contains("administrator"),
        "{list}"
    );
    assert!(!list.contains(password), "{list}");
}

#[test]
fn a_chosen_password_comes_from_standard_input_and_must_be_long_enough() {
    let (_dir, db) = database();
    let (code, _, err) = run(
        &db,
        &[
            "user",
            "add",
            "ana",
            "--role",
            "sales-master",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("the password is too short: at least 12 characters"),
        "{err}"
    );
    assert!(stored(&db, "ana").is_none(), "nothing added");
    let (code, out, err) = run(
        &db,
        &[
            "user",
            "add",
            "ana",
            "--role",
            "sales-master",
            "--password-stdin",
        ],
        "correct horse battery\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out, "added user ana (sales-master)\n",
        "no password printed"
    );
    let (code, _, err) = run(&db, &["user", "add", "ana", "--role", "viewer"], "");
    assert_eq!(code, 1);
    assert!(err.contains("user ana already exists"), "{err}");
    let (code, _, err) = run(&db, &["user", "add", "a b", "--role", "viewer"], "");
    assert_eq!(code, 1);
    assert!(err.contains("is not allowed"), "{err}");
    let (code, _, err) = run(&db, &["user", "add", "bob", "--role", "boss"], "");
    assert_eq!(code, 64, "an unknown role is a usage error");
    assert!(
        err.contains("one of: viewer, sales-master, accountant, administrator"),
        "{err}"
    );
    let before = stored(&db, "ana").expect("ana").1;
    let (code, out, _) = run(&db, &["user", "set-password", "ana"], "");
    assert_eq!(code, 0);
    assert!(out.contains("password: "), "{out}");
    assert_ne!(stored(&db, "ana").expect("ana").1, before, "a new hash");
}

#[test]
fn roles_change_users_are_disabled_and_the_last_administrator_stays() {
    let (_dir, db) = database();
    for (name, role) in [("root", "administrator"), ("ana", "viewer")] {
        let (code, _, err) = run(&db, &["user", "add", name, "--role", role], "");
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, _) = run(&db, &["user", "set-role", "ana", "accountant"], "");
    assert_eq!((code, out.as_str()), (0, "ana is now accountant\n"));
    assert_eq!(stored(&db, "ana").expect("ana").0, "accountant");
    let (code, out, _) = run(&db, &["user", "disable", "ana"], "");
    assert_eq!(code, 0);
    assert!(out.contains("ana is disabled"), "{out}");
    assert!(stored(&db, "ana").expect("ana").2);
    let (_, list, _) = run(&db, &["user", "list"], "");
    assert!(
        list.lines()
            .any(|l| l.starts_with("ana") && l.contains("disabled")),
        "{list}"
    );
    for args in [
        &["user", "disable", "root"][..],
        &["user", "set-role", "root", "viewer"],
    ] {
        let (code, _, err) = run(&db, args, "");
        assert_eq!(code, 1, "{args:?}");
        assert!(
            err.contains("root is the last active administrator"),
            "{err}"
        );
        let (role, _, disabled) = stored(&db, "root").expect("root");
        assert_eq!(
            (role.as_str(), disabled),
            ("administrator", false),
            "unchanged"
        );
    }
    let (code, _, err) = run(&db, &["--locale", "id", "user", "disable", "root"], "");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("kesalahan: root adalah administrator aktif terakhir"),
        "{err}"
    );
    let (code, _, err) = run(&db, &["user", "enable", "nobody"], "");
    assert_eq!(code, 1);
    assert!(err.contains("there is no user nobody"), "{err}");
    let (code, _, _) = run(&db, &["user", "enable", "ana"], "");
    assert_eq!(code, 0);
    assert!(!stored(&db, "ana").expect("ana").2);
}
